#!/usr/bin/env python3
"""gen_world.py - writes assets/kb.json and assets/catalogue.json for Firedrill.

The simulated support assistant answers questions about "Skyloft", a fictional
cloud file storage, sharing and collaboration product with a public REST API.
This script holds the authored world as Python tables and renders the two JSON
files deterministically (same input, byte-identical output):

    python3 assets/tools/gen_world.py          # writes both files
    python3 assets/tools/check_world.py        # validates them

Documents
    doc(id, title, topic, body, V(...), V(...), ...)
    `body` is one template shared by every version: paragraphs separated by a
    blank line, line breaks inside a paragraph are folded into spaces, and
    {fact_key} placeholders are replaced by that version's fact values.
    V(date, key=value, ...) gives a version: the first lists every fact, later
    ones only the facts that changed (the rest are inherited). Keys starting
    with "_" are auxiliary text (e.g. a "prices changed" note) that is
    substituted but not exported as a fact and not inherited.

Queries
    q(doc, type, weight, [fact keys], text, paraphrase, ...)   answerable
    absent(topic, type, weight, text, paraphrase, ...)         topic not in the KB
    chat(weight, text, paraphrase, ...)                        small talk
    Ids q0001.. are assigned in the order below.

Conventions kept by hand (and checked by check_world.py): every fact value
appears in exactly one paragraph of its version and in no other document, so
an answer quoting a value can be attributed to one document and version.
"""
import json
import re
import sys
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent

TOPICS = [
    ("billing", "Billing", True),
    ("plans", "Plans and pricing", True),
    ("security", "Security", True),
    ("api_limits", "API and limits", True),
    ("status", "Outages and service status", True),
    ("accounts", "Accounts and members", True),
    ("integrations", "Integrations", True),
    ("data_retention", "Data retention", True),
    ("mobile_app", "Mobile app", False),
    ("partner_program", "Partner program", False),
    ("general", "Small talk", False),
]

DOCS = []
QUERIES = []


def doc(doc_id, title, topic, body, *versions):
    DOCS.append({"id": doc_id, "title": title, "topic": topic, "body": body,
                 "versions": versions})


def V(date, **facts):
    return (date, facts)


def q(doc_id, qtype, weight, facts, text, *paraphrases):
    QUERIES.append({"doc": doc_id, "type": qtype, "weight": weight, "facts": facts,
                    "text": text, "paraphrases": list(paraphrases)})


def absent(topic, qtype, weight, text, *paraphrases):
    QUERIES.append({"topic": topic, "type": qtype, "weight": weight, "facts": [],
                    "text": text, "paraphrases": list(paraphrases), "answerable": False})


def chat(weight, text, *paraphrases):
    QUERIES.append({"topic": "general", "type": "smalltalk", "weight": weight, "facts": [],
                    "text": text, "paraphrases": list(paraphrases)})


# =====================================================================================
# billing
# =====================================================================================

doc("billing-refunds", "Refund policy", "billing", """
Skyloft offers a full refund on a new paid subscription or an annual renewal if you
ask within {refund_window} of the charge. The window applies to each charge
separately, so seats added in the middle of a cycle have their own window starting on
the day they were billed. Storage add-ons that have already been used above the plan
allowance are not refundable.

Refunds always go back to the {refund_method}; we cannot send money to a different
card or bank account. Once approved, a refund normally appears on your statement
within {refund_processing_time}, depending on your bank.

To request a refund, an Owner or Billing Admin opens a ticket from Help > Contact
support and picks the category Billing question, quoting the invoice number (it starts
with INV-). Approving a refund cancels the related seats or plan immediately.{_note}
""",
    V("2026-04-02", refund_window="14 calendar days", refund_method="original payment method",
      refund_processing_time="5 to 10 business days"),
    V("2026-11-27", refund_window="30 calendar days",
      _note=" The longer window applies to charges made on or after 27 November 2026."),
)

q("billing-refunds", "factual", 5, ["refund_window"],
  "How long do I have to ask for a refund?",
  "What's the refund window on a Skyloft subscription?",
  "We paid for our annual renewal three weeks ago - is it too late to get a refund?")
q("billing-refunds", "policy", 2, ["refund_method"],
  "Can the refund go to a different card than the one I paid with?",
  "Where is a Skyloft refund sent - back to the original payment method or somewhere else?",
  "My old company card is closed, how will you pay back the refund?")
q("billing-refunds", "factual", 2, ["refund_processing_time"],
  "How long until an approved refund shows up on my bank statement?",
  "Refund was approved yesterday but I don't see the money yet, how many business days does it take?",
  "how long do refunds take to process")
q("billing-refunds", "structured", 1, ["refund_window", "refund_method"],
  "Summarise the refund policy as JSON with fields refund_window and refund_method.",
  "Return JSON with the fields window and method describing how Skyloft refunds work.",
  "I need the refund rules in JSON with fields days_to_request and refund_destination.")
q("billing-refunds", "policy", 2, ["refund_window"],
  "If I cancel right after our renewal, can I still get a refund?",
  "We renewed by mistake and want to cancel and get a refund - is there a time limit on refund requests?",
  "Is there a deadline for requesting a refund after a renewal charge?")

doc("billing-payment-methods", "Accepted payment methods", "billing", """
Skyloft accepts credit or debit cards on every paid plan, charged in the billing
currency of your workspace. Prepaid and virtual cards work only if they allow
recurring charges. To add, replace or remove a card, go to {payment_methods_path};
only the Owner and Billing Admins can see this page.

Customers on {invoice_payment_threshold} can pay by bank transfer against an invoice
instead of by card. Invoiced customers get {bank_transfer_terms}, and the remittance
details are printed at the bottom of every invoice. Ask billing support or your
account manager to switch you to invoicing.

If you remove the only card on file, the subscription keeps running until the next
charge fails; see the article on failed payments for what happens then.
""",
    V("2026-03-15", payment_methods_path="Admin Console > Billing > Payment methods",
      invoice_payment_threshold="annual plans over $5,000",
      bank_transfer_terms="net 30 payment terms"),
)

q("billing-payment-methods", "howto", 4, ["payment_methods_path"],
  "How do I update the credit card on our account?",
  "Where do I change the payment method for our Skyloft subscription?",
  "our card expired, where in the admin console do I add a new one")
q("billing-payment-methods", "policy", 1, ["invoice_payment_threshold", "bank_transfer_terms"],
  "Can we pay by bank transfer instead of card?",
  "Do you accept payment by invoice and bank transfer, and what are the payment terms?",
  "Our finance team doesn't use cards - who qualifies for invoicing and how long do we have to pay?")
q("billing-payment-methods", "factual", 1, ["bank_transfer_terms"],
  "What payment terms do invoiced customers get?",
  "If we pay Skyloft by bank transfer, how many days do we have to settle an invoice?",
  "net payment terms for invoiced skyloft customers?")

doc("billing-invoices", "Invoices and receipts", "billing", """
Every successful charge produces an invoice, emailed to the billing contacts on the
day of the charge. To view or download past invoices, open {invoices_path}. Each
invoice can be downloaded as {invoice_formats}; the CSV version lists every seat and
add-on line by line, which helps with cost allocation.

Invoices show the workspace's legal name, billing address and tax ID as they were on
the day of issue. Changing these details in the billing settings only affects future
invoices. If a past invoice needs corrected details, billing support can reissue it
{invoice_reissue_window}.

To send invoices to an accounts-payable mailbox as well, add up to five extra billing
contacts on the same page.
""",
    V("2025-11-04", invoices_path="Admin Console > Billing > Invoices",
      invoice_formats="PDF or CSV",
      invoice_reissue_window="within 120 days of the invoice date"),
)

q("billing-invoices", "howto", 3, ["invoices_path"],
  "Where can I download past invoices?",
  "How do I get a copy of last month's Skyloft invoice?",
  "need our receipts for the accountant - where are the invoices in the admin console?")
q("billing-invoices", "factual", 1, ["invoice_formats"],
  "Can I export our invoices as CSV for the accounting system?",
  "Which file formats can Skyloft invoices be downloaded in?",
  "Is there a PDF version of the invoice or just a spreadsheet?")
q("billing-invoices", "troubleshooting", 2, ["invoice_reissue_window"],
  "Our invoice shows the wrong company address, can you reissue it?",
  "How long after an invoice is issued can billing support correct the details on it?",
  "We changed our legal name but an old invoice still shows the previous one - can it be fixed?")
q("billing-invoices", "structured", 1, ["invoices_path", "invoice_formats"],
  "Give me JSON with fields location and formats telling me where to find invoices and how I can download them.",
  "As JSON with fields path and formats: where are Skyloft invoices kept and which formats are offered?",
  "Reply with JSON using the fields invoices_page and file_formats for Skyloft invoices.")

doc("billing-failed-payments", "Failed payments and past-due workspaces", "billing", """
When a renewal charge fails, the workspace status changes to Past due and every Owner
and Billing Admin gets an email. We retry the card automatically
{payment_retry_schedule}. Updating the payment method at any point triggers an
immediate retry.

If the failed payment is still unpaid at the end of the {past_due_grace}, the
workspace loses edit access and switches to {past_due_restriction}: members can view and download files but cannot
upload, edit or share. Nothing is deleted while a workspace is past due, and paying
the balance lifts the restriction within a few minutes.

Common reasons for a failed charge are an expired card, a bank blocking a foreign
transaction or a card limit. The reason shown on the billing page, for example
card_declined or insufficient_funds, comes directly from the card processor.
""",
    V("2026-05-10", payment_retry_schedule="3, 5 and 7 days after the failure",
      past_due_grace="21-day grace period", past_due_restriction="read-only mode"),
    V("2026-11-25", past_due_grace="10-day grace period"),
)

q("billing-failed-payments", "troubleshooting", 4, ["past_due_grace", "past_due_restriction"],
  "Our card payment failed - how long until the team loses access?",
  "Workspace shows Past due after a failed charge; what happens if we don't pay, and when?",
  "payment declined on renewal, how much time do we have before things stop working?")
q("billing-failed-payments", "factual", 2, ["payment_retry_schedule"],
  "When will you retry a failed payment?",
  "Does Skyloft automatically retry the card after a failed renewal charge, and on which days?",
  "my renewal payment failed - will the card be charged again automatically, and when?")
q("billing-failed-payments", "troubleshooting", 2, ["past_due_restriction"],
  "Why can't anyone upload files since our payment failed?",
  "Our workspace is past due and members can only view and download files - is that expected?",
  "Payment issue: people can download but not edit anything, what mode is the workspace in?")
q("billing-failed-payments", "policy", 1, ["past_due_grace"],
  "How long is the grace period for an unpaid Skyloft renewal?",
  "What's the grace period after a failed card payment before restrictions start?",
  "after a failed charge how many days of grace do we get")
q("billing-failed-payments", "structured", 1, ["payment_retry_schedule", "past_due_grace"],
  "Return JSON with fields retry_schedule and grace_period for failed payments.",
  "Describe what happens after a failed payment as JSON with the fields retries and grace_period.",
  "JSON with fields retry_days and grace_period for a failed renewal payment, please.")

doc("billing-taxes", "Sales tax, VAT and tax IDs", "billing", """
Skyloft charges sales tax, VAT or GST where we are required to collect it, based on
the billing address of the workspace. Tax appears as a separate line on each invoice.

Business customers in the EU and UK can add a VAT number at {tax_id_path}. Once the
number is validated, invoices are issued under the {vat_reverse_charge} mechanism and
no VAT is added. Validation usually takes a few minutes; an invalid number is
rejected with a message on the same page.

US organisations that are exempt from sales tax should email a valid
{tax_exempt_document} to billing support. The exemption applies from the next invoice
onwards; tax already charged is refunded only if the certificate was dated before the
charge.
""",
    V("2026-02-18", tax_id_path="Admin Console > Billing > Tax details",
      vat_reverse_charge="reverse charge",
      tax_exempt_document="state exemption certificate"),
)

q("billing-taxes", "howto", 2, ["tax_id_path"],
  "Where do I add our VAT number?",
  "How do I enter our company's VAT ID so the invoices show it?",
  "adding an EU VAT number to skyloft billing")
q("billing-taxes", "policy", 1, ["vat_reverse_charge"],
  "Why is no VAT charged on our invoice after we added our VAT number?",
  "Once our VAT number is validated, under which mechanism are invoices issued?",
  "Our invoice says reverse charge and has no VAT line - is that right?")
q("billing-taxes", "howto", 1, ["tax_exempt_document"],
  "We're a tax-exempt organisation in the US - what do we send to stop being charged sales tax?",
  "How do I claim a sales tax exemption on Skyloft invoices?",
  "what document proves we're exempt from US sales tax")

doc("billing-billing-cycle", "Monthly and annual billing", "billing", """
Paid plans can be billed monthly or annually. Annual billing gives a
{annual_discount} compared with paying month to month for the same number of seats,
and the whole year is charged up front.{_note}

To change the cycle, an Owner or Billing Admin opens {cycle_switch_path}. Switching
from monthly to annual takes effect immediately: the unused part of the current month
is credited and the annual charge is made the same day.

Switching from annual to monthly is scheduled and happens {annual_to_monthly}; we do
not refund the remaining months of an annual term when you switch. Until then you
keep the annual price, and you can cancel the scheduled switch on the same page.
""",
    V("2026-03-01", annual_discount="16% discount",
      cycle_switch_path="Admin Console > Billing > Billing cycle",
      annual_to_monthly="at the end of the annual term"),
    V("2026-11-28", annual_discount="20% discount",
      _note=" The larger discount applies to annual terms that start or renew from 28 November 2026."),
)

q("billing-billing-cycle", "factual", 3, ["annual_discount"],
  "How much do I save with annual billing?",
  "What's the discount for paying yearly instead of monthly?",
  "is annual billing cheaper than monthly, and by how much")
q("billing-billing-cycle", "howto", 2, ["cycle_switch_path"],
  "How do I switch from monthly to annual billing?",
  "Where can I change our billing cycle to annual?",
  "how to move our subscription to yearly billing")
q("billing-billing-cycle", "policy", 1, ["annual_to_monthly"],
  "If we move from annual to monthly billing, when does the change happen?",
  "Can I switch our annual plan to monthly billing right now, or do I have to wait?",
  "When would a switch from yearly to monthly billing take effect?")
q("billing-billing-cycle", "howto", 1, ["cycle_switch_path"],
  "How do I cancel a scheduled switch to monthly billing?",
  "I scheduled a change to monthly billing by mistake - where do I undo it?",
  "undo a scheduled billing cycle change")
q("billing-billing-cycle", "structured", 1, ["annual_discount", "annual_to_monthly"],
  "As JSON with fields annual_discount and switch_to_monthly_timing, explain the billing cycle rules.",
  "Give me JSON with two fields, discount and monthly_switch_effective, about annual versus monthly billing.",
  "Output JSON with fields yearly_saving and monthly_switch_timing for the billing cycle.")

doc("billing-seats", "Adding and removing paid seats", "billing", """
On Team and Business you pay for seats, not for active users. When you add a seat
in the middle of a billing period or month, it is charged immediately for the rest of
the period, {seat_proration}, and the seat is available at once. Owners and Admins can buy seats at {seat_manage_path}, and
inviting someone when no seat is free prompts you to buy one.

Removing a seat {seat_reduction_timing}: you keep paying for it until the end of the
current period and the lower count applies from the next invoice. Removing a member
does not remove their seat; the empty seat stays on the bill until you reduce the
seat count.

Guests from outside your organisation do not use paid seats.
""",
    V("2026-06-12", seat_proration="prorated to the day",
      seat_manage_path="Admin Console > Members > Seats",
      seat_reduction_timing="takes effect at renewal"),
)

q("billing-seats", "factual", 2, ["seat_proration"],
  "If I add a seat halfway through the month, how is it charged?",
  "How is a new seat billed in the middle of a billing cycle?",
  "adding seats mid cycle - do I pay the full period or is it prorated?")
q("billing-seats", "howto", 2, ["seat_manage_path"],
  "Where do I buy more seats?",
  "How do I add paid seats to our Team workspace?",
  "We need three more paid seats, where do I add them?")
q("billing-seats", "troubleshooting", 2, ["seat_reduction_timing"],
  "I removed two seats but our bill didn't go down, why?",
  "We reduced our seat count and are still charged for the old number of seats, is that right?",
  "When does removing a seat actually lower the bill?")
q("billing-seats", "policy", 1, ["seat_reduction_timing"],
  "If someone leaves and we remove their seat, do we stop paying for it straight away?",
  "Is a removed seat refunded immediately or at the end of the period?",
  "Do we get billed for a seat until renewal after removing it?")

doc("billing-cancel", "Cancelling a paid subscription", "billing", """
Cancelling can be done by {cancel_role}: open {cancel_subscription_path} and confirm
by typing the workspace name. Anyone else who tries to cancel sees a message asking
them to contact the Owner.{_note}

If you cancel, the cancellation takes effect at the {cancel_effective}; until then
everyone keeps the paid features and nothing further is charged. The workspace then moves to the Free plan. If
it holds more than the Free storage allowance, uploads are blocked until enough files
are removed, but existing files stay available.

Cancelling does not delete the workspace or its files. To remove data permanently,
delete the workspace separately after the plan has ended. You can reactivate the paid
plan from the same page at any time before the period ends.
""",
    V("2026-02-20", cancel_role="the Owner or any Billing Admin",
      cancel_subscription_path="Admin Console > Billing > Cancel plan",
      cancel_effective="end of the current billing period"),
    V("2026-11-27", cancel_role="the workspace Owner alone",
      _note=" Billing Admins can no longer cancel, to prevent accidental cancellations."),
)

q("billing-cancel", "howto", 4, ["cancel_subscription_path"],
  "How do I cancel my Skyloft subscription?",
  "Where is the option to cancel our paid plan?",
  "cancel skyloft plan steps")
q("billing-cancel", "policy", 2, ["cancel_role"],
  "Who is allowed to cancel the workspace's paid plan?",
  "I'm a Billing Admin - can I cancel our subscription myself?",
  "Can an Admin cancel the plan, or only the Owner?")
q("billing-cancel", "factual", 2, ["cancel_effective"],
  "If I cancel today, when does the cancellation take effect?",
  "Do we lose paid features immediately when we cancel the plan?",
  "After cancelling, until when can my team keep using the paid plan?")
q("billing-cancel", "troubleshooting", 1, ["cancel_role"],
  "I'm a Billing Admin and get a message to contact the Owner when I try to cancel, why?",
  "The cancel plan page tells me to ask the Owner even though I handle billing - what changed?",
  "Why can't a Billing Admin cancel the paid plan anymore?")
q("billing-cancel", "structured", 1, ["cancel_role", "cancel_effective"],
  "Output JSON with fields who_can_cancel and effective_date for cancelling a paid Skyloft subscription plan.",
  "In JSON with fields allowed_role and takes_effect, explain cancelling a subscription.",
  "JSON with the fields cancel_role and cancellation_effective for our subscription, please.")
q("billing-cancel", "policy", 1, ["cancel_effective"],
  "If we cancel mid-month, do we keep the paid features until the period ends?",
  "Does cancelling the subscription cut off paid features straight away?",
  "cancel now, keep paid plan until end of billing period?")

doc("billing-currencies", "Billing currencies", "billing", """
Skyloft bills in {billing_currencies}. The currency is chosen {currency_default} when
you first upgrade, and prices in each currency are set by us rather than converted
daily, so the amount on your invoice does not move with exchange rates.

The billing currency is {currency_lock}. If your company moves and needs a different
currency, billing support can migrate the subscription at your next renewal: the
current subscription is closed and a new one opens in the new currency.

Cards issued in another currency are accepted, but your bank may add a foreign
transaction fee.
""",
    V("2025-09-09", billing_currencies="USD, EUR, GBP, CAD and AUD",
      currency_default="based on the billing country",
      currency_lock="fixed after the first invoice"),
)

q("billing-currencies", "factual", 2, ["billing_currencies"],
  "Which currencies can I pay in?",
  "Can Skyloft bill us in euros or pounds?",
  "what currencies does skyloft support for billing")
q("billing-currencies", "policy", 1, ["currency_lock"],
  "Can we change our billing currency from USD to EUR?",
  "We moved to Canada - is it possible to switch the currency on our subscription?",
  "is the billing currency fixed once we've been invoiced?")
q("billing-currencies", "factual", 1, ["currency_default"],
  "How is the billing currency picked when we first upgrade?",
  "Why were we billed in GBP, who chose that currency?",
  "What decides which currency our Skyloft invoices are billed in?")

# =====================================================================================
# plans
# =====================================================================================

doc("plans-overview", "Comparing Skyloft plans", "plans", """
Skyloft comes in four plans: {plan_lineup}. Free is meant for individuals trying the
product. Team adds shared workspaces, more storage and longer version history for
small groups. Business adds the admin controls most companies need for compliance,
such as single sign-on, the audit log and retention policies. Enterprise is for large
organisations that need data residency, dedicated support and custom contracts.

Prices, storage allowances and feature lists for each plan are kept up to date at
{pricing_page}, which also shows prices in your local billing currency. Separate
articles in this help center cover each plan in detail.

Every paid plan can be tried before you buy, and you can move between plans at any
time from the billing settings.
""",
    V("2026-01-20", plan_lineup="Free, Team, Business and Enterprise",
      pricing_page="skyloft.example/pricing"),
)

q("plans-overview", "factual", 4, ["plan_lineup"],
  "What plans does Skyloft offer?",
  "Which Skyloft plans are there to choose from?",
  "list of skyloft plans please")
q("plans-overview", "factual", 2, ["pricing_page"],
  "Where can I see current prices for every plan?",
  "Is there a page with prices and storage allowances for each Skyloft plan in my currency?",
  "skyloft pricing page link")
q("plans-overview", "structured", 1, ["plan_lineup", "pricing_page"],
  "Give me JSON with fields plans and pricing_page listing the Skyloft plans and where the pricing page is.",
  "Return a JSON object with the fields plan_names and prices_page.",
  "As JSON with fields plan_list and pricing_link, which Skyloft plans exist and where are the prices?")

doc("plans-free", "Free plan", "plans", """
The Free plan costs nothing and never expires. A Free workspace includes {free_storage}
shared by everyone in it and room for {free_member_limit} counting the Owner, so it
suits one person or a few people working together. Uploads can be up to
{free_file_size} through the web app and desktop sync.

Free workspaces can share files with public links, but they cannot protect links with
a password or an expiry date, and the admin console only shows billing settings. Shared links on Free show a small Skyloft banner.

When a Free workspace reaches its storage allowance, new uploads fail with a Storage
full message until files are deleted or the workspace upgrades. Existing files remain
accessible.
""",
    V("2025-07-14", free_storage="5 GB of storage", free_member_limit="up to 3 members",
      free_file_size="250 MB per file"),
)

q("plans-free", "factual", 4, ["free_storage"],
  "How much storage do I get on the Free plan?",
  "Free plan storage limit?",
  "what's the storage allowance for a free skyloft workspace")
q("plans-free", "factual", 2, ["free_member_limit"],
  "How many people can be in a Free workspace?",
  "Is there a member limit on the Free plan?",
  "can I add my whole team of six people on the free plan")
q("plans-free", "troubleshooting", 2, ["free_file_size"],
  "Uploading a 400 MB video fails on our Free plan, why?",
  "What's the largest file I can upload on Free?",
  "file too big error on the free plan")
q("plans-free", "troubleshooting", 2, ["free_storage"],
  "Uploads fail with Storage full on our Free workspace - how much space is there before I have to delete files?",
  "We hit Storage full on Free; what's the storage allowance, do I need to delete stuff?",
  "storage full message on the free plan, how many GB do we get")
q("plans-free", "structured", 2, ["free_storage", "free_member_limit", "free_file_size"],
  "Describe the Free plan limits as JSON with fields storage, members and max_file_size.",
  "JSON please, fields storage, member_limit and file_size_limit: what does the Free plan include?",
  "Can you output the Free plan limits as JSON with keys storage, members and upload_limit?")
q("plans-free", "policy", 1, ["free_member_limit"],
  "Can I invite a fourth person to our Free workspace?",
  "How many members does the Free plan allow, counting the Owner?",
  "free workspace member cap")

doc("plans-team", "Team plan", "plans", """
The Team plan is built for small companies and departments. It costs {team_price}
when billed annually, with a higher rate for monthly billing.{_note} A Team workspace
can have {team_seat_range}; larger organisations should look at Business or
Enterprise.

Storage comes at {team_storage}, pooled so that every member can use the whole
allowance: a five-seat workspace shares 5 TB in total. More storage can be
bought as an add-on without adding seats.

Team includes password-protected and expiring share links, shared team folders, the
admin console with basic member management, and email support with a
one-business-day response target. SAML single sign-on and custom retention policies
are not part of Team.
""",
    V("2026-01-05", team_price="$9 per user per month", team_seat_range="3 to 150 seats",
      team_storage="1 TB per user"),
    V("2026-06-01", team_price="$10 per user per month",
      _note=" Existing Team customers moved to this price at their first renewal after 1 June 2026."),
    V("2026-11-26", team_price="$12 per user per month",
      _note=" Existing Team customers move to this price at their first renewal on or after 1 January 2027."),
)

q("plans-team", "factual", 5, ["team_price"],
  "How much does the Team plan cost?",
  "Team plan price per user?",
  "what's skyloft team pricing per user per month")
q("plans-team", "factual", 2, ["team_storage"],
  "How much storage does each Team seat add?",
  "What's the storage per user on the Team plan?",
  "team plan storage pool - how many TB per seat?")
q("plans-team", "policy", 2, ["team_seat_range"],
  "How many seats can a Team workspace have?",
  "Is there a minimum or maximum number of seats on the Team plan?",
  "we're only 2 people - can we buy the Team plan?")
q("plans-team", "structured", 2, ["team_price", "team_storage"],
  "Give me the Team plan as JSON with fields price and storage_per_user.",
  "As JSON with the fields price and storage, what do we get per user on Team?",
  "JSON with fields team_price and team_storage please.")
q("plans-team", "factual", 1, ["team_price"],
  "Did the Team plan price change? What is it per user now?",
  "What will we pay per user on Team after the new pricing?",
  "I heard Team pricing went up - what's the current price per user per month?")

doc("plans-business", "Business plan", "plans", """
The Business plan costs {business_price} billed annually and suits companies that
need security and compliance controls. There is no maximum seat count.

Storage comes at {business_storage}, pooled across the workspace. Business includes
everything in Team plus SAML single sign-on, the audit log, custom retention
policies, device approvals for desktop sync and the e-signature integration.

Business customers get {business_support} for urgent issues, around the clock in
English, and standard requests are answered within one business day. Business is
also the plan offered in the free trial, so you can test these features before
upgrading.
""",
    V("2026-04-22", business_price="$22 per user per month", business_storage="5 TB per user",
      business_support="priority support with a 4-hour response target"),
)

q("plans-business", "factual", 4, ["business_price"],
  "What does the Business plan cost?",
  "Business plan price per user per month?",
  "how expensive is skyloft business")
q("plans-business", "factual", 1, ["business_support"],
  "What support response do Business customers get for urgent issues?",
  "Is support faster on the Business plan?",
  "Business plan priority support response target?")
q("plans-business", "structured", 1, ["business_price", "business_storage"],
  "Output JSON with fields price and storage_per_seat for the Business plan.",
  "Return the Business plan's price and storage per seat as JSON with fields price and storage.",
  "JSON with fields business_price and business_storage, please.")
q("plans-business", "factual", 1, ["business_storage"],
  "How much storage per seat comes with Business?",
  "Business plan storage per user?",
  "How many TB of storage does each Business seat add?")

doc("plans-enterprise", "Enterprise plan", "plans", """
Enterprise is priced per contract and requires a {enterprise_min_seats}. Enterprise
customers get {enterprise_storage} (subject to a fair use policy), every Business feature, and
controls that only large organisations need: data residency in the EU or US, IP
allowlisting, legal hold, bring-your-own-key encryption and a higher uptime
commitment.

Each Enterprise customer has {enterprise_csm} who runs onboarding, quarterly reviews
and escalations, on top of round-the-clock priority support. Contracts are usually annual or multi-year and paid by invoice.

To request a quote or a security review package, contact the sales team by email at
{enterprise_sales_contact} with your expected seat count and any features you require. A sales engineer
normally replies within two business days.
""",
    V("2026-05-30", enterprise_min_seats="minimum of 50 seats",
      enterprise_storage="unlimited storage",
      enterprise_csm="a named customer success manager",
      enterprise_sales_contact="sales@skyloft.example"),
)

q("plans-enterprise", "howto", 2, ["enterprise_sales_contact"],
  "How do I get a quote for Enterprise?",
  "Who do I contact about Enterprise pricing?",
  "enterprise sales email address")
q("plans-enterprise", "policy", 2, ["enterprise_min_seats"],
  "What's the minimum number of seats for Enterprise?",
  "We have 30 people - can we get an Enterprise contract?",
  "Is there a seat minimum on the Enterprise plan?")
q("plans-enterprise", "factual", 1, ["enterprise_storage", "enterprise_csm"],
  "What storage and support do we get on Enterprise?",
  "Does Enterprise include unlimited storage and a dedicated contact person?",
  "Enterprise plan: how much storage, and who is our contact for support?")
q("plans-enterprise", "structured", 1, ["enterprise_min_seats", "enterprise_sales_contact"],
  "Reply in JSON with fields minimum_seats and contact_email for the Enterprise plan.",
  "As JSON with fields min_seats and sales_email, how do we get started with Enterprise?",
  "Enterprise plan details as JSON with fields seat_minimum and sales_contact.")

doc("plans-trials", "Free trial of the Business plan", "plans", """
Any Free workspace Owner can start a {trial_length} of the Business plan from Admin
Console > Billing > Start trial. Trials need {trial_card_policy}, and each workspace
can use one trial.

During the trial you can invite up to 20 members and use every Business feature.
Storage is capped at 1 TB for the whole workspace while the trial runs.

If you do not upgrade before the trial ends, the workspace {trial_end_behaviour}
automatically. Members beyond the Free limit lose access but their files stay in
place, and Business-only settings such as single sign-on are switched off. Reminder
emails are sent 7 days and 1 day before the end.
""",
    V("2026-03-10", trial_length="30-day trial", trial_card_policy="no credit card",
      trial_end_behaviour="returns to the Free plan"),
    V("2026-11-25", trial_length="14-day trial"),
)

q("plans-trials", "factual", 4, ["trial_length"],
  "How long is the free trial?",
  "How many days does the Business trial last?",
  "length of the skyloft trial")
q("plans-trials", "policy", 2, ["trial_card_policy"],
  "Do I need a credit card to start a trial?",
  "Does the Skyloft trial ask for payment details up front?",
  "can I try Business without entering a card?")
q("plans-trials", "troubleshooting", 2, ["trial_end_behaviour"],
  "Our trial ended and single sign-on stopped working, what happened?",
  "What happens to our workspace when the trial ends and we haven't upgraded?",
  "trial expired, why did some people lose access")
q("plans-trials", "howto", 1, ["trial_card_policy", "trial_end_behaviour"],
  "How do I cancel my trial so I'm not charged?",
  "Do I have to cancel the Business trial before it ends?",
  "want to cancel the trial - will it bill me at the end?")
q("plans-trials", "structured", 1, ["trial_length", "trial_card_policy"],
  "Give me JSON with fields trial_length and card_required about the Skyloft trial.",
  "Describe the free trial as JSON with the fields duration and credit_card.",
  "JSON with fields trial_days and needs_card for the Business trial.")

doc("plans-change-plan", "Upgrading and downgrading", "plans", """
To upgrade, for example from Team to Business, or to downgrade, an Owner or Billing
Admin opens {change_plan_path}. Upgrades take effect right away: you are {upgrade_charge} for the rest of the current period, and
the new features and storage are available within a minute.

Downgrades are scheduled and take effect {downgrade_timing}; until then you keep the
current plan's features. Before then, Skyloft checks whether the workspace fits the lower plan. If it uses features the new plan
lacks, such as SSO or retention policies, you'll see a checklist of settings that
will be switched off.

If the workspace holds more data than the lower plan allows, nothing is removed, but
uploads are paused until usage drops below the allowance. Enterprise contracts are
changed through your customer success manager instead.
""",
    V("2026-07-08", change_plan_path="Admin Console > Billing > Change plan",
      upgrade_charge="charged a prorated amount immediately",
      downgrade_timing="at the next renewal date"),
)

q("plans-change-plan", "howto", 3, ["change_plan_path"],
  "How do I upgrade from Team to Business?",
  "Where do I change our plan?",
  "upgrade skyloft plan")
q("plans-change-plan", "factual", 2, ["upgrade_charge"],
  "How am I charged when I upgrade in the middle of a billing period?",
  "If we upgrade today, when are we billed for the new plan?",
  "Is an upgrade prorated, and when is it charged?")
q("plans-change-plan", "policy", 2, ["downgrade_timing"],
  "When does a downgrade take effect?",
  "If I downgrade from Business to Team now, do we lose features immediately?",
  "downgrade timing")
q("plans-change-plan", "troubleshooting", 1, ["downgrade_timing"],
  "I scheduled a downgrade but we still have Business features - is something broken?",
  "Scheduled a downgrade to Team yesterday and nothing has changed yet - why?",
  "Why hasn't our plan downgrade taken effect yet?")

doc("plans-storage-addons", "Extra storage add-ons", "plans", """
If a Team or Business workspace needs more space than its seats provide, the Owner
can buy storage add-ons instead of extra seats. Add-on storage costs
{storage_addon_price} and joins the shared pool immediately.

Add-ons are available on {addon_plans}; Free workspaces must upgrade first, and
Enterprise storage is unlimited. A workspace can hold {addon_max}. Add-ons are billed
on the same cycle as the plan, prorated from the day they are bought.

To buy or remove add-ons, open Admin Console > Billing > Storage. Removing an add-on
applies from the next renewal and is blocked if the workspace would then be over its
allowance.{_note}
""",
    V("2026-02-14", storage_addon_price="$5 per 100 GB per month",
      addon_plans="Team and Business plans", addon_max="up to 10 TB of add-on storage"),
    V("2026-11-29", storage_addon_price="$6 per 100 GB per month",
      _note=" The current add-on price applies from your next renewal."),
)

q("plans-storage-addons", "factual", 3, ["storage_addon_price"],
  "How much does extra storage cost?",
  "Price of a storage add-on?",
  "can I buy more storage without adding seats, and what does it cost")
q("plans-storage-addons", "policy", 1, ["addon_plans"],
  "Can I buy extra storage on the Free plan?",
  "Which plans can purchase storage add-ons?",
  "Are storage add-ons available on every plan?")
q("plans-storage-addons", "factual", 1, ["addon_max"],
  "What's the maximum add-on storage a workspace can buy?",
  "Is there a cap on how much extra storage we can add?",
  "storage add-on limit per workspace?")
q("plans-storage-addons", "structured", 1, ["storage_addon_price", "addon_max"],
  "JSON with fields price and maximum for storage add-ons, please.",
  "Return the storage add-on price and limit as JSON with fields price and max.",
  "Give me storage add-on pricing as JSON with fields addon_price and addon_limit.")

doc("plans-nonprofit-education", "Nonprofit and education discounts", "plans", """
Registered nonprofits and accredited schools and universities get
{nonprofit_discount} subscriptions billed annually. The discount does not apply to
storage add-ons or to Enterprise contracts, which are priced individually.

To apply, the workspace Owner submits the form at {nonprofit_apply_url} with proof of
status, such as a charity registration number or an accreditation letter. Reviews
take about five business days and the discount is applied from the next invoice;
past invoices are not adjusted.

Eligibility is {nonprofit_reverify}. If your organisation no longer qualifies, the
workspace moves to the regular price at its next renewal.
""",
    V("2025-10-01", nonprofit_discount="50% off Team and Business",
      nonprofit_apply_url="skyloft.example/nonprofit",
      nonprofit_reverify="re-verified every 12 months"),
)

q("plans-nonprofit-education", "factual", 2, ["nonprofit_discount"],
  "Do you have a discount for nonprofits?",
  "Is there an education discount for schools and universities?",
  "charity pricing skyloft")
q("plans-nonprofit-education", "howto", 1, ["nonprofit_apply_url"],
  "How do we apply for the nonprofit discount?",
  "Where's the application form for education pricing?",
  "Where do charities submit proof of status for the discount?")
q("plans-nonprofit-education", "policy", 1, ["nonprofit_reverify"],
  "How often do we have to prove we're still a nonprofit?",
  "Does the nonprofit discount need to be re-verified?",
  "Is nonprofit eligibility checked again every year?")

# =====================================================================================
# security
# =====================================================================================

doc("security-2fa", "Two-factor authentication", "security", """
Two-factor authentication (2FA) protects your account even if your password is
stolen. To turn it on, open {twofa_path}, choose a method and follow the prompts.
Skyloft supports an {twofa_methods}; text-message codes are not offered because they
can be intercepted.

When you enable 2FA you receive {backup_codes}. Store them somewhere safe, such as a
password manager. If you lost access to your authenticator device, sign in with a
backup code and set up 2FA again. Each code works once, and generating a fresh set on the same page
invalidates the old ones.

Admins on Business and Enterprise can require 2FA for every member at Admin Console >
Security > Authentication. Members who haven't set it up are asked to do so at their
next sign-in and cannot open files until they do.
""",
    V("2026-01-28", twofa_path="Settings > Security > Two-factor",
      twofa_methods="authenticator app or hardware security key",
      backup_codes="10 single-use backup codes"),
)

q("security-2fa", "howto", 4, ["twofa_path"],
  "How do I turn on two-factor authentication?",
  "Where do I enable 2FA?",
  "set up two factor on skyloft")
q("security-2fa", "factual", 2, ["twofa_methods"],
  "Can I get 2FA codes by text message?",
  "Which two-factor methods does Skyloft support?",
  "Does two-factor work with a hardware security key?")
q("security-2fa", "troubleshooting", 2, ["backup_codes"],
  "I lost the device with my authenticator on it, how do I get into my account?",
  "New laptop and no authenticator - what backup do I have for two-factor?",
  "how many backup codes do I get with 2FA")
q("security-2fa", "structured", 1, ["twofa_path", "twofa_methods"],
  "As JSON with fields settings_path and methods, how does two-factor authentication work?",
  "Return JSON with the fields where_to_enable and supported_methods for 2FA.",
  "JSON with fields enable_path and 2fa_methods, please.")

doc("security-sso", "SAML single sign-on", "security", """
Single sign-on (SSO) lets members sign in to Skyloft with your company identity
provider. It requires a {sso_required_plan} and uses the {sso_protocol} protocol; any identity provider that
supports it will work, and SCIM provisioning is available for automatic user
creation.

To configure it, an Admin opens {sso_setup_path}, uploads the identity provider's
metadata XML and downloads Skyloft's service provider metadata in return. The Enforce
SSO option stays greyed out until you verify each email domain by adding a
{sso_domain_verification} that Skyloft generates for you.

Once SSO is enforced, members of verified domains can no longer sign in with a
Skyloft password. Owners keep a {sso_break_glass} so that a misconfigured identity
provider cannot lock everyone out.
""",
    V("2026-06-03", sso_required_plan="Business or Enterprise plan", sso_protocol="SAML 2.0",
      sso_setup_path="Admin Console > Security > Single sign-on",
      sso_domain_verification="DNS TXT record",
      sso_break_glass="password-based break-glass login"),
)

q("security-sso", "policy", 3, ["sso_required_plan"],
  "Which plan do I need for single sign-on?",
  "Is SSO available on the Team plan?",
  "sso plan requirement")
q("security-sso", "howto", 2, ["sso_setup_path", "sso_domain_verification"],
  "How do I set up SAML SSO for our workspace?",
  "What are the steps to configure single sign-on with our identity provider?",
  "configure saml single sign-on in the admin console")
q("security-sso", "factual", 1, ["sso_protocol"],
  "Which SSO protocol does Skyloft support?",
  "Does your single sign-on use SAML 2.0 or something else?",
  "what protocol does skyloft single sign-on use")
q("security-sso", "troubleshooting", 1, ["sso_domain_verification"],
  "The option to enforce SSO is greyed out, what are we missing?",
  "Why can't I enforce single sign-on for our email domain yet?",
  "sso enforcement says domain not verified")
q("security-sso", "troubleshooting", 2, ["sso_break_glass"],
  "Our identity provider is down and nobody can sign in with SSO - is there a password fallback?",
  "SSO is misconfigured and we're locked out; how does the Owner get in?",
  "what is the break glass login for sso")

doc("security-password-policy", "Password policy and account lockout", "security", """
Skyloft passwords must be {password_min_length} long; this minimum length applies to
every new password. There are no rules about
symbols or mixed case; instead, every new password is checked against a list of
passwords exposed in public breaches, and those are refused. Long passphrases are
encouraged.{_note}

After {password_lockout_threshold} in a row, the account is locked for
{password_lockout_duration}. This lockout applies to password sign-in only; signing in
through SSO is not affected. Waiting out the lock or resetting the password unlocks
the account.

Existing passwords that are shorter than the current minimum keep working, but you'll
be asked for a compliant one the next time you change it. Admins cannot see or set
member passwords.
""",
    V("2026-02-02", password_min_length="at least 10 characters",
      password_lockout_threshold="5 failed sign-in attempts",
      password_lockout_duration="20 minutes"),
    V("2026-11-26", password_min_length="at least 12 characters",
      _note=" The minimum length was raised on 26 November 2026."),
)

q("security-password-policy", "factual", 3, ["password_min_length"],
  "What are the password requirements?",
  "How long does a Skyloft password need to be?",
  "min password length")
q("security-password-policy", "troubleshooting", 3,
  ["password_lockout_threshold", "password_lockout_duration"],
  "I got locked out after typing my password wrong, how long do I have to wait?",
  "How many wrong password attempts before the account locks, and for how long?",
  "account locked after failed sign-ins")
q("security-password-policy", "troubleshooting", 1, ["password_min_length"],
  "Skyloft won't accept my new password of 10 characters - why?",
  "The new password I picked is rejected as too short - what's the minimum length?",
  "my new password is rejected as too short, how many characters do I need?")
q("security-password-policy", "structured", 1,
  ["password_min_length", "password_lockout_threshold"],
  "Give me the password policy as JSON with fields min_length and lockout_after.",
  "JSON with the fields minimum_length and failed_attempts_limit for Skyloft passwords, please.",
  "Output Skyloft's password requirements as JSON with fields length and lockout_threshold.")

doc("security-reset-password", "Resetting a forgotten password", "security", """
If you forget your password, click the {reset_entry} on the sign-in page and enter
your account email. We send a reset email from no-reply@skyloft.example; the link in
it is {reset_link_expiry} and works only once. Requesting a new link invalidates
earlier ones.

If the email doesn't arrive within a few minutes, check spam and any mail filtering
rules, then confirm you typed the address you signed up with. For security reasons
the page never tells you whether an address has an account.

Resetting your password signs you out on every device and revokes desktop sync
tokens, so you'll need to sign in again everywhere. If your workspace uses single
sign-on, Skyloft cannot reset your password: contact {reset_sso_contact} instead.
""",
    V("2026-04-15", reset_entry="Forgot password? link", reset_link_expiry="valid for 60 minutes",
      reset_sso_contact="your company's IT administrator"),
    V("2026-11-28", reset_link_expiry="valid for 15 minutes"),
)

q("security-reset-password", "howto", 5, ["reset_entry"],
  "I forgot my password, how do I reset it?",
  "How can I reset my Skyloft password?",
  "forgot pw")
q("security-reset-password", "troubleshooting", 3, ["reset_link_expiry"],
  "My password reset link says it has expired, how long is it valid?",
  "How long does a password reset link last?",
  "reset link expired before I clicked it")
q("security-reset-password", "troubleshooting", 2, ["reset_sso_contact"],
  "The reset password email never comes and our company uses single sign-on - who can reset it?",
  "We sign in with SSO - can Skyloft reset my password for me?",
  "Who resets my password when our workspace uses single sign-on?")
q("security-reset-password", "structured", 1, ["reset_entry", "reset_link_expiry"],
  "As JSON with fields where_to_start and link_validity, explain resetting a password.",
  "Return JSON with fields start_point and link_expiry for the Skyloft password reset flow.",
  "JSON with fields reset_link_location and reset_link_lifetime for a forgotten password.")

doc("security-encryption", "Encryption at rest and in transit", "security", """
All files stored in Skyloft are encrypted at rest with {encryption_at_rest}, each
file with its own data key, and the data keys are themselves encrypted with keys held
in a hardware security module. Backups are encrypted the same way.

Connections to Skyloft's web app, desktop clients and API require
{encryption_in_transit}; older protocol versions are refused. Share links and
downloads use the same encrypted connections.{_note}

Enterprise workspaces can use {customer_managed_keys}, which lets your security team
revoke Skyloft's access to stored data at any time. Skyloft does not offer end-to-end
encryption at present, because it would prevent search, previews and integrations
from working.
""",
    V("2026-03-20", encryption_at_rest="AES-256", encryption_in_transit="TLS 1.2 or later",
      customer_managed_keys="customer-managed encryption keys"),
    V("2026-11-27", encryption_in_transit="TLS 1.3 or later",
      _note=" Clients that only support older TLS versions must be upgraded."),
)

q("security-encryption", "factual", 2, ["encryption_at_rest"],
  "Are my files encrypted at rest?",
  "What encryption does Skyloft use for stored files?",
  "is data at rest encrypted, and with what")
q("security-encryption", "troubleshooting", 2, ["encryption_in_transit"],
  "Our old integration server can't connect to Skyloft anymore and the TLS handshake fails - what TLS version is required?",
  "Which TLS versions does Skyloft accept for connections?",
  "connection refused from a legacy client, what's the TLS requirement?")
q("security-encryption", "policy", 1, ["customer_managed_keys"],
  "Can we manage our own encryption keys on Enterprise?",
  "Does Skyloft support encryption with keys our security team controls?",
  "Do you offer customer-managed keys?")
q("security-encryption", "structured", 1, ["encryption_at_rest", "encryption_in_transit"],
  "Give the encryption details as JSON with fields at_rest and in_transit.",
  "JSON with two fields, rest_encryption and transit_encryption, for Skyloft please.",
  "As JSON with fields storage_encryption and connection_encryption, how is data encrypted?")

doc("security-audit-log", "Audit log", "security", """
The audit log records {audit_log_events} across the workspace, with the time, the
person, their IP address and the item affected. It is available on Business and
Enterprise, and Owners and Admins open it at {audit_log_path}.

You can filter by person, event type and date range, and export the filtered results
as {audit_log_export_format} for your SIEM or an investigation. Exports of more than
100,000 events are emailed as a download link instead of downloading directly.

How long audit events are kept depends on the plan and is described in the data
retention articles. File views and downloads are logged as well, but only for files
inside shared folders.
""",
    V("2025-12-10", audit_log_events="sign-ins, sharing changes and admin actions",
      audit_log_path="Admin Console > Security > Audit log",
      audit_log_export_format="CSV or JSON"),
)

q("security-audit-log", "howto", 2, ["audit_log_path"],
  "Where is the audit log?",
  "How do I see who changed sharing settings in our workspace?",
  "open the audit log in the admin console")
q("security-audit-log", "howto", 1, ["audit_log_export_format"],
  "Can I export the audit log for our SIEM?",
  "How do I export audit events, and in which formats?",
  "audit log download formats")
q("security-audit-log", "factual", 1, ["audit_log_events"],
  "What does the audit log record?",
  "Which events show up in the Skyloft audit log?",
  "What kind of events does the audit log capture?")
q("security-audit-log", "structured", 1, ["audit_log_path", "audit_log_export_format"],
  "Describe the audit log as JSON with fields location and export_formats.",
  "JSON please, with fields path and download_formats, for the audit log.",
  "Give me audit log details as JSON with fields audit_log_page and formats.")

doc("security-compromised-account", "If your account may be compromised", "security", """
If you think someone else is using your account - files deleted or moved without you,
shares you didn't create, sign-ins from unfamiliar places - act quickly. First change your password, then open
{sessions_path} and choose Sign out all other sessions. This also revokes desktop
sync and any personal API tokens.

Next, review the apps you've connected under Settings > Connected apps, remove
anything you don't recognise, and turn on two-factor authentication if it isn't on
already. Workspace Admins can check the audit log to see what the account did.

Report the incident to {security_report_email}, including when you noticed the
unfamiliar sign-ins or deleted files and any suspicious emails. The security team acknowledges reports {security_ack_time}. To
report a vulnerability in Skyloft itself, use the same address.
""",
    V("2026-08-19", sessions_path="Settings > Security > Active sessions",
      security_report_email="security@skyloft.example", security_ack_time="within 4 hours"),
)

q("security-compromised-account", "howto", 3, ["sessions_path"],
  "I think someone else is using my account, how do I sign them out?",
  "How do I sign out all my other sessions?",
  "where are active sessions")
q("security-compromised-account", "howto", 1, ["security_report_email"],
  "How do I report a security vulnerability?",
  "Where should I report a compromised Skyloft account?",
  "What's the security team's email for reporting an incident?")
q("security-compromised-account", "factual", 1, ["security_ack_time"],
  "How fast does the security team respond to a report?",
  "After I email the security team, when will someone acknowledge it?",
  "How soon is a security incident report acknowledged?")
q("security-compromised-account", "troubleshooting", 2, ["sessions_path", "security_report_email"],
  "I see sign-ins from another country and some of my files were deleted - what should I do?",
  "My account looks hacked, files were moved around; what are the steps?",
  "Someone got into my account and shared files - how do I sign out other sessions and report it?")

doc("security-sessions", "Session length and automatic sign-out", "security", """
By default you stay {default_session_length} in each browser, and the timer restarts
whenever you use Skyloft. If Skyloft keeps signing you out much sooner than that,
check whether your browser clears cookies when it closes.

On Business and Enterprise, Admins can set a shorter or longer web session length at
{session_policy_path}. The value can be set {session_range}, and changes apply at
each member's next sign-in.

An expired session sends you back to the sign-in page; unsaved comments are kept in
the browser and restored after you sign in again. Desktop sync uses a separate
long-lived token that is revoked only when you sign out, change your password or an
Admin removes the device.
""",
    V("2026-09-09", default_session_length="signed in for 14 days",
      session_policy_path="Admin Console > Security > Sessions",
      session_range="between 1 hour and 30 days"),
)

q("security-sessions", "troubleshooting", 2, ["default_session_length"],
  "Why does Skyloft keep signing me out?",
  "How long do I stay signed in before Skyloft asks me to log in again?",
  "How long does a browser session stay signed in by default?")
q("security-sessions", "howto", 1, ["session_policy_path", "session_range"],
  "How can admins change the session length?",
  "Can we force members to sign in again every 8 hours?",
  "Where do admins set the web session length policy?")
q("security-sessions", "factual", 1, ["session_range"],
  "What's the shortest session timeout an Admin can set?",
  "What range of web session lengths can we configure?",
  "minimum and maximum session length for admins")

doc("security-ip-allowlist", "IP allowlisting", "security", """
Enterprise workspaces can restrict access to a list of trusted networks. Admins add
ranges at {ip_allowlist_path}; a workspace can hold {ip_allowlist_max}, each with a
label, and IPv6 is supported.

The allowlist applies to the web app, desktop sync and API calls made with workspace
tokens. Requests from other addresses are rejected with {blocked_ip_error} and the
message Network not allowed. Public share links are not restricted unless you turn on
Apply to share links.

Before saving, the console checks that your current address is in the list, to stop
you locking yourself out. Owners can always bypass the allowlist with a one-time code
sent by email.
""",
    V("2026-10-02", ip_allowlist_path="Admin Console > Security > Network",
      ip_allowlist_max="up to 100 CIDR ranges", blocked_ip_error="error code SKY-403"),
)

q("security-ip-allowlist", "howto", 1, ["ip_allowlist_path"],
  "How do we restrict Skyloft access to our office network?",
  "Where do I configure an IP allowlist?",
  "Can we limit sign-ins to our company IP ranges?")
q("security-ip-allowlist", "troubleshooting", 2, ["blocked_ip_error"],
  "API calls from our new server fail with Network not allowed - what error is that?",
  "Colleagues working from home get a Network not allowed error, which error code is it?",
  "blocked by the IP allowlist - what error code comes back?")
q("security-ip-allowlist", "factual", 1, ["ip_allowlist_max"],
  "How many IP ranges can we add to the allowlist?",
  "Is there a limit on CIDR ranges in the IP allowlist?",
  "max number of allowlist ranges per workspace")

doc("security-compliance", "Compliance certifications and reports", "security", """
Skyloft holds {compliance_certifications} certifications, audited every year by an
independent firm. We also support HIPAA workloads on Enterprise with a signed
business associate agreement.

The latest SOC 2 report, the ISO certificate, penetration test summaries and our
subprocessor list can be downloaded from {trust_center_url}. Reports are shared under a non-disclosure agreement,
which you can accept online in a few clicks; Business and Enterprise customers get
access immediately.

Every customer can sign our {dpa_name} for GDPR purposes; it is pre-signed and can be
downloaded from the same site. Custom security questionnaires are handled by the
sales team for Enterprise prospects.
""",
    V("2025-08-25", compliance_certifications="SOC 2 Type II and ISO 27001",
      trust_center_url="trust.skyloft.example", dpa_name="data processing agreement"),
)

q("security-compliance", "factual", 2, ["compliance_certifications"],
  "Is Skyloft SOC 2 certified?",
  "What compliance certifications does Skyloft have?",
  "Which certifications does Skyloft hold, SOC 2 or ISO 27001?")
q("security-compliance", "howto", 1, ["trust_center_url"],
  "Where can I download your SOC 2 report?",
  "Where can our security team get the latest audit and penetration test reports?",
  "Where is the Skyloft trust center?")
q("security-compliance", "policy", 1, ["dpa_name"],
  "Do you sign a DPA for GDPR?",
  "What agreement does Skyloft sign for GDPR data processing?",
  "Can we get a data processing agreement with Skyloft?")

# =====================================================================================
# api_limits
# =====================================================================================

doc("api-rate-limits", "API rate limits by plan", "api_limits", """
The Skyloft REST API limits how many requests each workspace can make, using a
sliding one-minute window shared by all tokens in the workspace. The limits are:
Free, {api_rate_free}; Team, {api_rate_team}; Business, {api_rate_business};
Enterprise, {api_rate_enterprise}, which can be raised further by contract.{_note}

Every response carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset
headers, so clients can slow down before hitting the limit. Uploading or downloading
file content counts as one request per call, whatever the size.

Limits apply per workspace, not per user or per app. If several integrations share a
workspace, a busy one can use up the allowance for the others.
""",
    V("2026-03-03", api_rate_free="60 requests per minute", api_rate_team="600 requests per minute",
      api_rate_business="1,200 requests per minute",
      api_rate_enterprise="6,000 requests per minute"),
    V("2026-11-26", api_rate_business="2,400 requests per minute",
      _note=" The Business limit was doubled on 26 November 2026."),
)

q("api-rate-limits", "factual", 4, ["api_rate_business"],
  "What's the API rate limit on the Business plan?",
  "How many API requests per minute can a Business workspace make?",
  "business plan api limit per minute")
q("api-rate-limits", "factual", 2, ["api_rate_free"],
  "What's the API rate limit for Free workspaces?",
  "How many requests per minute can I send to the API on the Free plan?",
  "free plan api requests per minute")
q("api-rate-limits", "factual", 2, ["api_rate_team"],
  "Team plan API rate limit?",
  "how many calls per minute does the Team plan allow on the REST API",
  "How many API requests per minute does a Team workspace get?")
q("api-rate-limits", "structured", 2, ["api_rate_free", "api_rate_team", "api_rate_business"],
  "Return the API rate limits as JSON with fields free, team and business.",
  "I need JSON with fields free, team and business giving the per-minute API request limits.",
  "Can you give me the per-plan API requests per minute as JSON with a field for each of Free, Team and Business?")
q("api-rate-limits", "policy", 1, ["api_rate_enterprise"],
  "What's the Enterprise per-minute API allowance, and can it be raised?",
  "How many API requests per minute does Enterprise get?",
  "enterprise api rate limit requests per minute")
q("api-rate-limits", "troubleshooting", 2, ["api_rate_business"],
  "Our Business workspace gets throttled at about 1,500 API calls a minute - is that the limit?",
  "Is 1,500 requests per minute over the Business API rate limit?",
  "Why are we rate limited on Business at around 1,500 requests per minute?")

doc("api-rate-limit-errors", "Handling rate limit errors (HTTP 429)", "api_limits", """
When a workspace goes over its per-minute allowance, the API answers with HTTP status
429 and {rate_limit_error_code} in the JSON error body. The request was not
processed, so it is always safe to send it again.

Each 429 response includes a {retry_after_header} giving the number of seconds to
wait. Clients should honour it; if it is missing, use {backoff_strategy}, doubling
the wait after each failure up to 60 seconds.

Repeated 429s usually mean several integrations are sharing the workspace allowance,
or a script is polling instead of using webhooks. The Developers page of the admin
console shows request volume per token for the last 24 hours, which helps you find
the noisy client.
""",
    V("2026-05-05", rate_limit_error_code="error code SKY-429",
      retry_after_header="Retry-After header",
      backoff_strategy="exponential backoff starting at 1 second"),
)

q("api-rate-limit-errors", "troubleshooting", 4, ["rate_limit_error_code", "retry_after_header"],
  "I'm getting 429 errors from the API, what should I do?",
  "The API returns Too Many Requests - how long should my client wait before retrying?",
  "429 from skyloft api")
q("api-rate-limit-errors", "howto", 2, ["backoff_strategy"],
  "What retry strategy should my client use when it's throttled and there's no Retry-After?",
  "How should I back off after a 429 if the response doesn't say how long to wait?",
  "recommended backoff for rate limit errors")
q("api-rate-limit-errors", "factual", 1, ["rate_limit_error_code"],
  "Which error code does Skyloft return when I'm rate limited?",
  "What's the SKY error code for too many requests?",
  "What's in the error body of a 429 rate limit response?")
q("api-rate-limit-errors", "structured", 1, ["rate_limit_error_code", "retry_after_header"],
  "Give me JSON with fields error_code and wait_header for rate-limited API responses.",
  "JSON with fields code and retry_hint for what a 429 response from the API contains.",
  "Output JSON with fields rate_limit_code and retry_header for HTTP 429 errors.")

doc("api-daily-quotas", "Daily API quotas", "api_limits", """
On top of the per-minute rate limit, each workspace has a daily quota: Free,
{daily_quota_free}; Team, {daily_quota_team}; Business, {daily_quota_business}.
Enterprise workspaces have no daily quota.

The daily counter resets at {quota_reset_time} every day. When the quota is used up,
further calls fail with HTTP 429 and {quota_error_code} until the reset; unlike the
per-minute limit, waiting a few seconds will not help.

Owners receive an email when the workspace passes 80% of its daily quota. If you hit
the quota regularly, cache list results, use webhooks instead of polling, or move to
a plan with a larger allowance.
""",
    V("2026-02-26", daily_quota_free="5,000 requests per day",
      daily_quota_team="100,000 requests per day",
      daily_quota_business="1,000,000 requests per day", quota_reset_time="00:00 UTC",
      quota_error_code="error code SKY-430"),
)

q("api-daily-quotas", "factual", 2, ["daily_quota_team"],
  "What's the daily API quota on Team?",
  "How many API calls per day does a Team workspace get?",
  "team plan daily request quota")
q("api-daily-quotas", "troubleshooting", 2, ["quota_reset_time"],
  "All our API calls fail since this afternoon and waiting doesn't help - when does the daily quota reset?",
  "Daily API quota used up, at what time does the counter reset?",
  "When does the daily request counter reset each day?")
q("api-daily-quotas", "factual", 1, ["daily_quota_free"],
  "How many API requests per day can a Free workspace make?",
  "daily api quota for the free plan",
  "Is there a daily request quota on Free, and how big is it?")
q("api-daily-quotas", "structured", 1,
  ["daily_quota_free", "daily_quota_team", "daily_quota_business"],
  "Output the daily API quotas as JSON with fields free, team and business.",
  "JSON with fields free, team and business: how many API requests per day does each plan allow?",
  "As JSON with fields free_quota, team_quota and business_quota, what are the daily API quotas?")
q("api-daily-quotas", "troubleshooting", 1, ["quota_error_code"],
  "What error do I get when the daily API quota runs out?",
  "Which error code means we've exhausted the daily request quota?",
  "daily quota exhausted error code")

doc("api-upload-limits", "File size limits for API uploads", "api_limits", """
Small files can be sent in one call to POST /v2/files/upload, up to
{api_simple_upload_max}. Anything larger must use an upload session: create it with
POST /v2/upload_sessions, send the file in {upload_chunk_size}, then commit the
session. Sessions expire 24 hours after creation if they are not committed.{_note}

Whatever the method, the largest file Skyloft accepts is {api_max_file_size}, and
Free workspaces keep their lower per-file limit. Requests that exceed any of these
limits are rejected with HTTP 413 and {payload_error_code}.

Chunks can be uploaded in parallel and in any order, and a failed chunk can be
retried without restarting the session, which makes sessions the better choice on
unreliable networks even for small files.
""",
    V("2026-01-15", api_simple_upload_max="100 MB per request",
      upload_chunk_size="chunks of 8 MB to 64 MB", api_max_file_size="50 GB per file",
      payload_error_code="error code SKY-413"),
    V("2026-11-25", api_simple_upload_max="256 MB per request",
      _note=" The single-request limit was raised on 25 November 2026."),
)

q("api-upload-limits", "factual", 3, ["api_simple_upload_max"],
  "What's the max file size for a single upload request in the API?",
  "How big can a file be for POST /v2/files/upload?",
  "simple upload size limit api")
q("api-upload-limits", "troubleshooting", 2, ["payload_error_code", "api_simple_upload_max"],
  "My 300 MB upload through the simple upload endpoint fails with HTTP 413 - what's the limit?",
  "Why does a one-shot API upload of a 300 MB file get rejected as too large?",
  "what's the max size per request for the simple upload endpoint")
q("api-upload-limits", "howto", 2, ["upload_chunk_size"],
  "How do I upload a large file through the API?",
  "What chunk size should I use for upload sessions?",
  "upload session chunk size for big files")
q("api-upload-limits", "factual", 1, ["api_max_file_size"],
  "What's the largest file Skyloft accepts through the API?",
  "Biggest file you can store using an upload session?",
  "Maximum file size for API uploads, in GB?")
q("api-upload-limits", "structured", 1, ["api_simple_upload_max", "api_max_file_size"],
  "Give me the API upload limits as JSON with fields single_request_max and file_max.",
  "JSON with fields simple_upload_limit and max_file_size for API uploads, please.",
  "Return JSON with fields per_request and per_file for the API upload size limits.")

doc("api-auth-tokens", "OAuth access and refresh tokens", "api_limits", """
Apps authenticate to the Skyloft API with OAuth 2.0. An access token is valid for
{access_token_lifetime} and is sent in the Authorization header as a Bearer token.
When it expires, exchange the refresh token at {token_endpoint} for a new pair.

Refresh tokens stay usable for {refresh_token_lifetime}, and
each one can be used only once, because every refresh returns a new refresh token. If
a refresh token has expired or was revoked, the user must authorise the app
again.{_note}

Requests with a missing, expired or revoked token fail with HTTP 401 and
{auth_error_code}. A password reset, a removed member or an Admin revoking the app
all revoke its tokens immediately.
""",
    V("2026-04-08", access_token_lifetime="3,600 seconds", token_endpoint="POST /oauth/token",
      refresh_token_lifetime="90 days after issue", auth_error_code="error code SKY-401"),
    V("2026-11-27", refresh_token_lifetime="45 days after issue",
      _note=" Refresh tokens issued before 27 November 2026 keep the lifetime they were issued with."),
)

q("api-auth-tokens", "factual", 3, ["access_token_lifetime"],
  "How long is an API access token valid?",
  "When does a Skyloft OAuth access token expire?",
  "access token lifetime in seconds?")
q("api-auth-tokens", "troubleshooting", 2, ["refresh_token_lifetime"],
  "Our integration suddenly makes users authorise again - how long do refresh tokens last?",
  "How long is a refresh token valid before the user must authorise the app again?",
  "refresh token expired after a few weeks, is that expected?")
q("api-auth-tokens", "troubleshooting", 2, ["auth_error_code"],
  "API requests fail with 401 right after a user reset their password - what error is that?",
  "Which error code means my API token is expired or revoked?",
  "What does a 401 with a SKY error code mean for our OAuth token?")
q("api-auth-tokens", "howto", 1, ["token_endpoint"],
  "How do I refresh an expired access token?",
  "Which endpoint do I call to exchange a refresh token for a new one?",
  "oauth token refresh endpoint")
q("api-auth-tokens", "structured", 1, ["access_token_lifetime", "refresh_token_lifetime"],
  "Return the token lifetimes as JSON with fields access_token and refresh_token.",
  "JSON with fields access_ttl and refresh_ttl for Skyloft OAuth tokens.",
  "As JSON with fields access_lifetime and refresh_lifetime, how long do OAuth tokens last?")

doc("api-keys", "Workspace API keys", "api_limits", """
Workspace API keys are for server-to-server scripts that act for the workspace rather
than for a person. Owners and Admins create them at {api_keys_path}. Each key has a
scope (read-only, read-write or admin) and can be limited to specific folders.

A workspace can have {api_key_limit} at a time. Keys start with {api_key_prefix} and
are shown only once, when created; if you lose one, revoke it on the same page and
create a new key. Skyloft scans public code repositories for leaked keys and revokes
any it finds, emailing the Owner.

Keys can be given an expiry date or left without one. We recommend rotating keys at
least once a year and giving each integration its own key, so you can revoke one
without breaking the others.
""",
    V("2026-07-21", api_keys_path="Admin Console > Developers > API keys",
      api_key_limit="25 active keys", api_key_prefix="skl_live_"),
)

q("api-keys", "howto", 2, ["api_keys_path"],
  "How do I create an API key?",
  "Where can an admin generate a workspace API key?",
  "workspace api keys page in the admin console")
q("api-keys", "factual", 1, ["api_key_limit"],
  "How many API keys can a workspace have?",
  "Is there a limit on active API keys?",
  "maximum number of active workspace API keys")
q("api-keys", "troubleshooting", 1, ["api_key_prefix"],
  "How can I tell whether a string in our repository is a Skyloft API key?",
  "What do Skyloft API keys start with?",
  "Skyloft API key prefix?")
q("api-keys", "howto", 1, ["api_keys_path"],
  "How do I delete an API key we don't use anymore?",
  "Where do I revoke an old workspace API key?",
  "remove an unused API key from the workspace")

doc("api-pagination", "Pagination in list endpoints", "api_limits", """
List endpoints of the API, such as GET /v2/folders/:id/children, return results in
pages. Pass limit to choose the page size; without it you get {page_size_default}, and the
maximum is {page_size_max}. Larger values are silently reduced to the maximum.{_note}

Each response includes a {cursor_field}. To get the next page of a large folder listing, send it
back as the cursor parameter with the same filters; when it is null you have reached the end.
Cursors are opaque and should not be parsed or built by hand.

A cursor can be reused for up to 15 minutes. If a folder changes while you page through it, new
items may or may not appear, but no item is returned twice.
""",
    V("2026-06-18", page_size_default="100 results per page",
      page_size_max="200 items per page", cursor_field="next_cursor field"),
    V("2026-11-28", page_size_max="1,000 items per page",
      _note=" The maximum was raised on 28 November 2026."),
)

q("api-pagination", "factual", 2, ["page_size_max"],
  "What's the maximum page size for list endpoints?",
  "How many items can I get per page from the API?",
  "max limit param when listing folder children")
q("api-pagination", "troubleshooting", 1, ["page_size_max"],
  "I set limit=5000 on a list call and get fewer items than I asked for, why?",
  "The API ignores my large limit parameter and returns a smaller page - what's the cap?",
  "What's the maximum items per page when I set limit on a list call?")
q("api-pagination", "howto", 2, ["cursor_field", "page_size_max"],
  "How do I export a full listing of a big folder through the API, page by page?",
  "How does pagination work in the Skyloft API?",
  "how do I get the next page of results from a list endpoint")
q("api-pagination", "factual", 1, ["page_size_default"],
  "What's the default page size if I don't pass limit?",
  "How many results does a list endpoint return per page by default?",
  "default results per page for list endpoints")
q("api-pagination", "structured", 1, ["page_size_default", "page_size_max"],
  "Give me JSON with fields default_page_size and max_page_size for the API.",
  "As JSON with fields default and maximum, what are the API list page sizes?",
  "JSON with fields page_default and page_max for API pagination.")

doc("api-webhooks", "Webhooks", "api_limits", """
Webhooks let your app react to file events without polling. Each workspace can
register {webhook_limit} under Admin Console > Developers > Webhooks, each subscribed
to the event types it needs, such as file.created, file.deleted or share.updated.

Your endpoint must answer with a 2xx status within {webhook_timeout}. Failed
deliveries are {webhook_retry_policy}, with growing gaps between attempts; after the
last failure the endpoint is disabled and the Owner gets an email.

Every delivery is signed with HMAC-SHA256 using the endpoint's secret, and the
signature is sent in the {webhook_signature_header}. Verify it and reject deliveries
older than five minutes to prevent replay attacks.
""",
    V("2026-09-14", webhook_limit="20 webhook endpoints", webhook_timeout="10 seconds",
      webhook_retry_policy="retried 8 times over 24 hours",
      webhook_signature_header="X-Skyloft-Signature header"),
)

q("api-webhooks", "factual", 1, ["webhook_limit"],
  "How many webhook endpoints can I register?",
  "Is there a limit on webhooks per workspace?",
  "max webhook endpoints per workspace")
q("api-webhooks", "troubleshooting", 2, ["webhook_timeout", "webhook_retry_policy"],
  "Our webhook endpoint got disabled, why?",
  "Webhook deliveries keep failing and being retried - how long do we have to respond, and how many retries are there?",
  "Why did Skyloft stop delivering to our webhook after failed deliveries?")
q("api-webhooks", "howto", 1, ["webhook_signature_header"],
  "How do I verify that a webhook came from Skyloft?",
  "Which header contains the webhook signature?",
  "how to check the HMAC signature on webhook deliveries")

doc("api-versioning", "API versions and deprecations", "api_limits", """
The current Skyloft REST API is version 2, served under the /v2/ path. Version 1 was
retired in March 2025 and now returns HTTP 410 for every call.

When we plan to remove an endpoint or change it in a way that could break clients, we
give {api_deprecation_notice} by email to the Owners of workspaces that called the
endpoint in the previous three months, and we add it to the API changelog at
{api_changelog_url}.

Deprecated endpoints keep working until their retirement date and return a
{api_sunset_header} with that date, so you can spot them in your logs. Additive
changes, such as new fields or optional parameters, can happen at any time without
notice; clients should ignore fields they do not recognise.
""",
    V("2025-11-20", api_deprecation_notice="at least 12 months' notice",
      api_changelog_url="developers.skyloft.example/changelog",
      api_sunset_header="Sunset response header"),
)

q("api-versioning", "policy", 1, ["api_deprecation_notice"],
  "How much notice do you give before removing an API endpoint?",
  "If an API endpoint is deprecated, how long do we have before it goes away?",
  "API deprecation notice period")
q("api-versioning", "howto", 1, ["api_sunset_header"],
  "How can I detect calls to deprecated API endpoints in my logs?",
  "Is there a response header that marks a deprecated endpoint?",
  "Which header tells me an API endpoint is deprecated and when it retires?")
q("api-versioning", "factual", 1, ["api_changelog_url"],
  "Where is the API changelog?",
  "Where do you announce API changes and deprecations?",
  "link to the skyloft api changelog")

# =====================================================================================
# status
# =====================================================================================

doc("status-page", "Checking Skyloft service status", "status", """
To see whether Skyloft is down or working normally right now, check {status_page_url},
where the live state of every service is published. It shows
separate components for the {status_components}, each marked Operational, Degraded
performance, Partial outage or Major outage, along with any incident in progress.

To get notified about outages, subscribe to updates by {status_subscribe_channels},
either for all
components or only the ones you care about. Scheduled maintenance is announced on the
same page.

If something looks broken for you but the status page shows everything operational,
the problem may be local to your network or to one region. Check the region shown
next to each component, and include your workspace ID when you contact support; you
can find it under Admin Console > General.
""",
    V("2026-01-09", status_page_url="status.skyloft.example",
      status_components="web app, desktop sync, API and share links",
      status_subscribe_channels="email, SMS, RSS or webhook"),
)

q("status-page", "factual", 5, ["status_page_url"],
  "Is Skyloft down right now?",
  "Where can I check Skyloft's service status?",
  "skyloft status page url")
q("status-page", "howto", 2, ["status_subscribe_channels"],
  "How can I get notified about outages?",
  "Can I subscribe to status page updates by SMS?",
  "Can I subscribe to Skyloft status updates by email or webhook?")
q("status-page", "factual", 1, ["status_components"],
  "Which components does the status page track?",
  "What parts of Skyloft are listed separately on the status page?",
  "What components are listed on the Skyloft status page?")
q("status-page", "structured", 1, ["status_page_url", "status_subscribe_channels"],
  "As JSON with fields status_url and subscribe_by, where do I check Skyloft status and get notified about outages?",
  "As JSON with fields status_url and subscribe_options, where do I follow outages?",
  "Return JSON with fields page and subscribe_channels for Skyloft service status.")

doc("status-sla", "Uptime SLA and service credits", "status", """
Skyloft commits to {sla_uptime_business} for Business workspaces and
{sla_uptime_enterprise} for Enterprise workspaces, measured per calendar month. Free
and Team plans have no uptime commitment. Scheduled maintenance announced in advance
does not count as downtime.

If we miss the commitment, you can claim a service credit of {sla_credit} for each
full 0.1% below the target, up to half of that month's fee. Credits are applied to
the next invoice and cannot be exchanged for cash.

Claims must be sent {sla_claim_window} through Help > Contact support, with the
category SLA claim and the times you were affected. We confirm the measured uptime
from our monitoring within ten business days.{_note}
""",
    V("2026-02-10", sla_uptime_business="99.9% monthly uptime",
      sla_uptime_enterprise="99.95% monthly uptime", sla_credit="10% of the monthly fee",
      sla_claim_window="within 30 days of the incident"),
    V("2026-08-03", sla_credit="15% of the monthly fee"),
    V("2026-11-29", sla_claim_window="within 60 days of the incident",
      _note=" The longer claim window applies to incidents from 1 October 2026 onwards."),
)

q("status-sla", "factual", 3, ["sla_uptime_business", "sla_uptime_enterprise"],
  "What uptime does Skyloft guarantee?",
  "What are the uptime SLAs for Business and Enterprise?",
  "skyloft sla uptime percentage")
q("status-sla", "howto", 2, ["sla_claim_window"],
  "How do I claim an SLA credit for last week's outage?",
  "What's the deadline for submitting an SLA claim?",
  "SLA claim deadline after an incident?")
q("status-sla", "factual", 2, ["sla_credit"],
  "How much credit do we get if you miss the SLA?",
  "What's the service credit for each 0.1% below the uptime target?",
  "What's the service credit when uptime falls below the SLA?")
q("status-sla", "troubleshooting", 1, ["sla_claim_window"],
  "We lost access for three hours about six weeks ago - is it too late to claim a service credit?",
  "Can we still file an SLA claim for an incident that happened 45 days ago?",
  "Is an SLA credit claim accepted for an incident from last month?")
q("status-sla", "structured", 1, ["sla_uptime_business", "sla_credit", "sla_claim_window"],
  "Summarise the Business SLA as JSON with fields uptime, credit and claim_deadline.",
  "Return JSON with fields uptime_target, credit_per_step and claim_window for the Business plan SLA.",
  "JSON with fields uptime, service_credit and claim_window for the SLA, please.")
q("status-sla", "policy", 1, ["sla_uptime_business", "sla_uptime_enterprise"],
  "Does the Team plan come with an uptime SLA?",
  "Which plans have an uptime commitment, and what is it?",
  "is there an SLA on team or only business and enterprise")

doc("status-maintenance", "Scheduled maintenance", "status", """
Skyloft schedules routine maintenance in a weekly window, {maintenance_window}. Most
maintenance causes no interruption; when a short outage is unavoidable we announce it
on the status page with {maintenance_notice} and email the Owners of affected
workspaces.{_note}

During maintenance that affects a component, the web app shows a banner, desktop
sync pauses and resumes on its own, and API calls to that component return HTTP 503
with {maintenance_error_code} and a Retry-After value. Files are never lost during
maintenance.

Emergency security patches may be applied outside the window with shorter notice.
Enterprise customers can ask their customer success manager for a maintenance
calendar for the coming quarter.
""",
    V("2026-05-20", maintenance_window="Sundays 02:00-04:00 UTC",
      maintenance_notice="at least 72 hours' notice",
      maintenance_error_code="error code SKY-503"),
    V("2026-11-25", maintenance_window="Saturdays 23:00-01:00 UTC",
      _note=" The window moved on 25 November 2026 to suit customers in Asia Pacific."),
)

q("status-maintenance", "factual", 3, ["maintenance_window"],
  "When is Skyloft's maintenance window?",
  "What time does scheduled maintenance happen?",
  "weekly maintenance hours in UTC")
q("status-maintenance", "troubleshooting", 2, ["maintenance_error_code"],
  "Our API calls got 503 errors over the weekend - what error code does maintenance use?",
  "What error do API calls return during scheduled maintenance?",
  "503 with a SKY error code during maintenance?")
q("status-maintenance", "policy", 1, ["maintenance_notice"],
  "How much notice do you give before maintenance with downtime?",
  "Do you warn customers ahead of planned maintenance outages?",
  "maintenance announcement notice period")
q("status-maintenance", "structured", 1, ["maintenance_window", "maintenance_notice"],
  "Return the maintenance schedule as JSON with fields window and notice_period.",
  "JSON with fields maintenance_window and advance_notice, please.",
  "Give me the weekly maintenance window and notice as JSON with fields when and notice.")
q("status-maintenance", "troubleshooting", 1, ["maintenance_window"],
  "Desktop sync paused on Saturday around 23:30 UTC - was that planned maintenance?",
  "Was the short sync interruption late on Saturday night UTC part of the maintenance window?",
  "Does the weekly maintenance window include Saturday night UTC?")

doc("status-incident-updates", "How we communicate during incidents", "status", """
When an incident is confirmed, we post it on the status page within 15 minutes and
then publish an update {incident_update_interval} until it is resolved, even if there is
no new information. Updates say which components are affected, what users will
notice and any workaround.{_note}

For a major outage we also email the Owners and Admins of affected workspaces and
show a banner in the web app. Support agents link incoming tickets to the incident,
so you don't need to open a ticket just to report the same problem.

After {postmortem_scope} we publish a public postmortem {postmortem_deadline},
describing the cause, the timeline and what we are changing to prevent it from
happening again.
""",
    V("2026-03-25", incident_update_interval="every 60 minutes",
      postmortem_scope="any major outage", postmortem_deadline="within 5 business days"),
    V("2026-11-28", incident_update_interval="every 30 minutes",
      _note=" Updates became more frequent on 28 November 2026."),
)

q("status-incident-updates", "factual", 2, ["incident_update_interval"],
  "How often do you post updates during an outage?",
  "How frequently is the status page updated during an incident?",
  "incident update frequency on the status page")
q("status-incident-updates", "policy", 1, ["postmortem_scope", "postmortem_deadline"],
  "Will you publish a postmortem for yesterday's outage, and when?",
  "Do you share a public postmortem after major incidents?",
  "How soon after a major outage is the postmortem published?")
q("status-incident-updates", "troubleshooting", 1, ["incident_update_interval"],
  "The status page hasn't been updated for 45 minutes during this outage - is that normal?",
  "No new incident update for 45 minutes, should I be worried?",
  "How often should the status page post incident updates during an outage?")
q("status-incident-updates", "structured", 1, ["incident_update_interval", "postmortem_deadline"],
  "Give me your incident update frequency and postmortem deadline as JSON with fields update_frequency and postmortem_due.",
  "JSON with fields updates_every and postmortem_within for outage communication.",
  "As JSON with fields incident_updates and postmortem_deadline, how do you communicate during incidents?")

doc("status-sync-troubleshooting", "Desktop sync is stuck or slow", "status", """
Changes normally reach your other devices {sync_normal_delay}. If the desktop app
shows Syncing for much longer, first check the status page for an incident affecting
desktop sync, then make sure the app is not paused and that your disk has free space.

Files that cannot sync are listed under Activity > Not synced with a reason, such as a
name containing characters your operating system doesn't allow, a path that is too
long or a file open in another program. If two people edit the same file offline,
Skyloft keeps both and renames one with {sync_conflict_suffix} appended.

If the problem continues, choose {sync_diagnostics_path} in the desktop app and
attach the resulting file to a support ticket. It contains logs and settings but no
file contents.
""",
    V("2026-08-04", sync_normal_delay="within 30 seconds",
      sync_conflict_suffix="(conflicted copy)",
      sync_diagnostics_path="Help > Collect diagnostics"),
)

q("status-sync-troubleshooting", "troubleshooting", 4, ["sync_normal_delay"],
  "Desktop sync is stuck on Syncing, how long should changes take?",
  "how long should it take for a file to sync to my other computer",
  "desktop sync slow, how many seconds should a change take to reach other devices?")
q("status-sync-troubleshooting", "troubleshooting", 2, ["sync_conflict_suffix"],
  "I see duplicate files with a strange suffix after working offline - what are they?",
  "Two of us edited the same file offline and now there are two copies, why?",
  "What does conflicted copy in a file name mean?")
q("status-sync-troubleshooting", "howto", 2, ["sync_diagnostics_path"],
  "How do I collect logs from the desktop app for support?",
  "Where is the diagnostics option in the desktop client?",
  "Collect diagnostics in the desktop sync app - where is it?")
q("status-sync-troubleshooting", "structured", 1, ["sync_normal_delay", "sync_diagnostics_path"],
  "Answer as JSON with fields expected_sync_time and diagnostics_menu for desktop sync problems.",
  "JSON with fields normal_delay and log_collection for troubleshooting desktop sync.",
  "Return JSON with fields sync_delay and diagnostics_path for a stuck desktop sync.")

doc("status-connectivity", "Skyloft won't load: checking your connection", "status", """
If Skyloft won't load, start with the status page. If no incident is listed, open
{connectivity_check_url} on the affected machine: it tests DNS, TLS and access to
each Skyloft service and shows a summary you can paste into a ticket.

Corporate networks sometimes block parts of Skyloft. Your firewall or proxy must
allow {required_network_access}, and TLS inspection on these domains breaks desktop
sync, so it should be bypassed.

If only one person is affected, try a private browser window to rule out extensions
and cached data, and check the device clock: a clock that is {clock_skew_limit}
causes sign-in errors. Include the connectivity check output and a screenshot of the
error when you contact support.
""",
    V("2026-04-30", connectivity_check_url="skyloft.example/connectivity",
      required_network_access="*.skyloft.example on port 443",
      clock_skew_limit="more than five minutes wrong"),
)

q("status-connectivity", "troubleshooting", 3, ["connectivity_check_url"],
  "Skyloft won't load but the status page is all green, what now?",
  "The web app doesn't load for me but works for colleagues - how do I test my connection?",
  "Is there a connectivity check page to test my connection to Skyloft?")
q("status-connectivity", "troubleshooting", 2, ["required_network_access"],
  "What do we need to allow in our firewall for Skyloft?",
  "Our proxy blocks Skyloft; which domains and port should be open?",
  "firewall rules for skyloft domains and port 443")
q("status-connectivity", "troubleshooting", 1, ["clock_skew_limit"],
  "Sign-in fails with a time error on one laptop - could the clock matter?",
  "How far off can a computer's clock be before Skyloft sign-in breaks?",
  "Can a wrong device clock cause sign-in errors?")
q("status-connectivity", "structured", 1, ["connectivity_check_url", "required_network_access"],
  "As JSON with fields connectivity_check and firewall_rule, what do I check when Skyloft won't load on our network?",
  "JSON with fields check_page and required_domains for diagnosing why Skyloft won't load.",
  "As JSON with fields test_url and firewall_rule, what do I check when Skyloft is blocked on our network?")

doc("status-api-errors", "API server errors during incidents (5xx)", "status", """
HTTP 500, 502 and 504 responses mean something went wrong on Skyloft's side. They
usually come in bursts during an incident, so check the status page before debugging
your own code. Read requests can be retried straight away; requests that create items
should be retried {server_error_retry}, with the Idempotency-Key header so that a
retry never creates a duplicate.

Every response, including errors, carries an {request_id_header}. Include it when you
contact support: it lets our engineers find the exact request in the logs.

A 503 during a maintenance window is expected and is covered in the maintenance
article. If you see errors for more than {sustained_error_threshold} while the status
page shows no incident, report them, since you may be the first to notice.
""",
    V("2026-06-25", server_error_retry="at most 3 times",
      request_id_header="X-Skyloft-Request-Id header",
      sustained_error_threshold="ten minutes"),
)

q("status-api-errors", "troubleshooting", 2, ["request_id_header"],
  "We're getting 500 errors from the API - what should I include when contacting support?",
  "Which header identifies an API request for support when we see 5xx errors?",
  "What request ID header should I send to support for API 5xx errors?")
q("status-api-errors", "howto", 1, ["server_error_retry"],
  "Should I retry API requests that fail with 502?",
  "How many times should I retry a create request that failed with a 5xx error?",
  "retry policy for 5xx server errors on create requests")
q("status-api-errors", "policy", 1, ["sustained_error_threshold"],
  "When should I report API 5xx errors if the status page is green?",
  "How long should server errors last before we report them to Skyloft?",
  "API server errors but no incident on the status page - when do I report it?")
q("status-api-errors", "structured", 1, ["request_id_header", "server_error_retry"],
  "Return JSON with fields request_id_header and retry_limit for handling API 5xx errors.",
  "JSON with fields support_header and max_retries for server errors from the Skyloft API.",
  "As JSON with fields id_header and retries, how should my client handle 500 and 502 errors?")

doc("status-regions", "Regions and regional incidents", "status", """
Skyloft runs in three regions: {skyloft_regions}. Each workspace's files live in one
home region, chosen when the workspace is created, and the status page reports each
region separately, so an incident in one region does not necessarily affect you.

To see your workspace's region, and so whether you are affected by an incident the
status page shows for one region, open {region_lookup_path}. Moving a workspace to
another region is available only on Enterprise, as part of data residency, and is
scheduled with your customer success manager.

Previews and downloads are delivered through edge locations worldwide, so users far
from the home region still see good download speeds. Sign-in and search always go to
the home region.
""",
    V("2025-12-15", skyloft_regions="US East, EU Central and Asia Pacific",
      region_lookup_path="Admin Console > General > Data region"),
)

q("status-regions", "factual", 2, ["skyloft_regions"],
  "Which regions does Skyloft run in?",
  "Where are Skyloft's data centers?",
  "List of Skyloft regions?")
q("status-regions", "howto", 1, ["region_lookup_path"],
  "How do I find out which region our workspace is in?",
  "Where can I see our workspace's data region?",
  "data region of my workspace")
q("status-regions", "troubleshooting", 1, ["region_lookup_path"],
  "The status page shows an incident in EU Central - are we affected?",
  "There's a regional outage on the status page; how do I check if it's our region?",
  "How do I check which home region our workspace uses during a regional incident?")
q("status-regions", "structured", 1, ["skyloft_regions", "region_lookup_path"],
  "Give me JSON with fields regions and where_to_check for Skyloft data regions.",
  "As JSON with fields available_regions and lookup_path, which regions exist and how do I see ours?",
  "JSON with fields skyloft_regions and our_region_path, please.")

# =====================================================================================
# accounts
# =====================================================================================

doc("accounts-signup", "Creating a Skyloft account", "accounts", """
Anyone can create a Skyloft account at {signup_url} with an email address, or by
continuing with an identity provider your company has set up. We send a verification
email straight away; the link is {verification_link_validity}, and until you verify
you can't share files or invite people.

Skyloft has a minimum age: you must be {signup_minimum_age} to create an account. If you sign up with a company
email address whose domain is verified by an existing workspace, you are offered to
join that workspace.

If the verification email doesn't arrive, use Resend verification on the banner at
the top of the web app. An address with a typo can be corrected from the same banner
before it is verified.
""",
    V("2025-06-18", signup_url="skyloft.example/signup",
      verification_link_validity="valid for 48 hours",
      signup_minimum_age="at least 16 years old"),
)

q("accounts-signup", "howto", 3, ["signup_url"],
  "How do I create a Skyloft account?",
  "Where do I sign up for Skyloft?",
  "skyloft signup page")
q("accounts-signup", "troubleshooting", 2, ["verification_link_validity"],
  "My verification link doesn't work anymore, how long is it valid?",
  "how long is the email verification link good for",
  "The verification email link expired - how long was it valid?")
q("accounts-signup", "policy", 1, ["signup_minimum_age"],
  "Is there a minimum age to use Skyloft?",
  "Can my 14-year-old create a Skyloft account?",
  "How old do you have to be to create a Skyloft account?")
q("accounts-signup", "howto", 1, ["verification_link_validity"],
  "How do I resend the verification email, and how long does the new link last?",
  "Resend verification - how long is the verification link valid after that?",
  "where's the resend verification button and how long do I have to click the link")

doc("accounts-change-email", "Changing your email address", "accounts", """
To change the email address you sign in with, open {email_change_path}, enter the new
address and your current password. We send a confirmation link to the new address and
a notice to the old one; the change happens only after you click the link.

Your files, shares and workspace memberships stay the same, and people who shared
with your old address keep access through your account. The old address can't be
used to sign in afterwards, but it stays {old_email_reservation} in case you change
your mind.

If your workspace uses single sign-on, your address is {email_change_sso_note} and
can't be edited in Skyloft, so the email field in your profile is greyed out. Ask your IT team to update it there; Skyloft picks up the
change at your next sign-in.
""",
    V("2026-03-30", email_change_path="Settings > Profile > Email address",
      old_email_reservation="reserved to your account for 6 months",
      email_change_sso_note="managed by your identity provider"),
)

q("accounts-change-email", "howto", 3, ["email_change_path"],
  "How do I change the email address I use to sign in?",
  "update my login email on skyloft",
  "Where do I change my account email? It says it needs my current password.")
q("accounts-change-email", "troubleshooting", 1, ["email_change_sso_note"],
  "The email field in my profile is greyed out, why can't I edit it?",
  "I can't change my email address in Skyloft and we use single sign-on, why?",
  "Why is my email address managed by our identity provider?")
q("accounts-change-email", "policy", 1, ["old_email_reservation"],
  "After I change my email, can someone else sign up with my old address?",
  "What happens to my old email address after I switch to a new one?",
  "Is my old email address reserved after I change it?")

doc("accounts-delete", "Deleting your Skyloft account", "accounts", """
You can delete your Skyloft account at {account_delete_path}. You'll be asked for
your password, or to re-authenticate with your identity provider, and to type DELETE
to confirm.

Deletion starts with a {account_delete_grace}: your account is disabled straight
away, but signing in again during that time restores it completely. After the period
ends, your personal files, shares and settings are permanently erased and cannot be
recovered by support.{_note}

If you own a workspace, you must {owner_delete_requirement} to another member or
delete the workspace before you can delete your account. Files you added to shared
folders belong to the workspace and stay there after your account is gone.
""",
    V("2026-02-25", account_delete_path="Settings > Account > Delete account",
      account_delete_grace="7-day cooling-off period",
      owner_delete_requirement="hand over ownership"),
    V("2026-11-27", account_delete_grace="14-day cooling-off period",
      _note=" Deletions requested before 27 November 2026 keep their original period."),
)

q("accounts-delete", "howto", 4, ["account_delete_path"],
  "How do I delete my Skyloft account?",
  "Where's the option to remove my account for good?",
  "delete account please")
q("accounts-delete", "policy", 3, ["account_delete_grace"],
  "Can I undo deleting my account?",
  "If I remove my account by mistake, how long do I have to restore it?",
  "Is account deletion immediate?")
q("accounts-delete", "troubleshooting", 2, ["owner_delete_requirement"],
  "Why can't I delete my account? It says I own a workspace.",
  "I'm the workspace Owner and account deletion is blocked, what do I need to do first?",
  "Workspace Owner wants to delete their account - what's required?")
q("accounts-delete", "structured", 1, ["account_delete_path", "account_delete_grace"],
  "Explain how to delete my account as JSON with fields path and cooling_off_period.",
  "Return JSON with fields settings_path and grace_period for closing my Skyloft account.",
  "JSON with fields delete_account_path and cooling_off for deleting my Skyloft account.")
q("accounts-delete", "factual", 1, ["account_delete_grace"],
  "How long is the cooling-off period after I delete my account?",
  "How many days do I have to change my mind after requesting account deletion?",
  "account deletion cooling-off period length")
q("accounts-delete", "troubleshooting", 1, ["account_delete_path"],
  "I sign in with SSO and have no Skyloft password - how do I delete my account?",
  "Deleting my account asks for a password but we use single sign-on, where do I confirm?",
  "delete account without a password, sso user")

doc("accounts-transfer-ownership", "Transferring workspace ownership", "accounts", """
Each workspace has exactly one Owner, who controls billing, can delete the workspace
and can't be removed by Admins. To hand the role to someone else, the current Owner
opens {transfer_ownership_path} and picks the new Owner, who must be
{transfer_eligibility}.

The new Owner gets an email and must {transfer_accept_window}; until they accept,
nothing changes. After the transfer the previous Owner becomes an Admin, and billing
emails go to the new Owner.

If the Owner has left the company and can't be reached, another Admin can ask support
to transfer the role. We'll need a request on company letterhead or from a verified
company domain, and the process takes about five business days.
""",
    V("2026-05-14", transfer_ownership_path="Admin Console > Members > Transfer ownership",
      transfer_eligibility="an Admin with a verified email",
      transfer_accept_window="accept within 72 hours"),
)

q("accounts-transfer-ownership", "howto", 3, ["transfer_ownership_path"],
  "How do I transfer workspace ownership to a colleague?",
  "How can I change who owns our workspace?",
  "transfer ownership of the workspace to another admin")
q("accounts-transfer-ownership", "policy", 1, ["transfer_eligibility"],
  "Who can become the new Owner of a workspace?",
  "Can I make a regular member the workspace Owner?",
  "Requirements for the new Owner in an ownership transfer?")
q("accounts-transfer-ownership", "troubleshooting", 1, ["transfer_accept_window"],
  "I started an ownership transfer but nothing changed, why?",
  "The new owner hasn't accepted the transfer yet - how long do they have?",
  "How long does the new Owner have to accept an ownership transfer?")
q("accounts-transfer-ownership", "structured", 1,
  ["transfer_ownership_path", "transfer_accept_window"],
  "Explain transferring workspace ownership as JSON with fields path and accept_within.",
  "JSON with fields transfer_page and acceptance_window for an ownership transfer.",
  "As JSON with fields where and deadline, how does a workspace ownership transfer work?")

doc("accounts-invitations", "Inviting people to a workspace", "accounts", """
Owners and Admins invite people from {invite_path}, by email address or in bulk by
uploading a CSV file with {bulk_invite_limit} at a time. On Team and Business, each invited
member needs a free seat; if none is available, you're offered to buy more.

Invitations {invite_expiry}.{_note} A pending invitation can be resent or revoked
from the {invite_revoke_location} on the same page, and resending restarts the expiry
period.

If an invitee says they never got the email, check the address for typos, ask them to
search their spam folder for mail from no-reply@skyloft.example, then resend. Admins
can also copy an invite link and send it through another channel; the link works
only for the invited address.
""",
    V("2026-04-20", invite_path="Admin Console > Members > Invite members",
      bulk_invite_limit="up to 500 addresses", invite_expiry="expire after 7 days",
      invite_revoke_location="Pending tab"),
    V("2026-11-26", invite_expiry="expire after 30 days",
      _note=" Invitations sent before 26 November 2026 keep their original expiry."),
)

q("accounts-invitations", "howto", 4, ["invite_path"],
  "How do I invite people to our workspace?",
  "add team members to skyloft",
  "Where do admins invite members by email?")
q("accounts-invitations", "troubleshooting", 2, ["invite_expiry"],
  "A colleague says their invitation has expired - how long are invitations valid?",
  "invitation expired before they joined, how long do invites last",
  "When do workspace invitations expire?")
q("accounts-invitations", "factual", 1, ["bulk_invite_limit"],
  "How many people can I invite at once with a CSV file?",
  "Is there a limit on bulk invitations?",
  "bulk invite CSV limit")
q("accounts-invitations", "howto", 1, ["invite_revoke_location"],
  "How do I cancel a pending invitation?",
  "Where can I revoke an invite I sent to the wrong address?",
  "revoke pending invite")
q("accounts-invitations", "structured", 1, ["invite_expiry", "bulk_invite_limit"],
  "Give me the invitation rules as JSON with fields expiry and bulk_limit.",
  "JSON with fields invite_validity and max_per_upload for workspace invitations.",
  "As JSON with fields invitation_expiry and csv_invite_limit, what are the invite rules?")

doc("accounts-roles", "Workspace roles and permissions", "accounts", """
Skyloft workspaces have five roles: {workspace_roles}. The Owner has full control,
including billing and deleting the workspace. Admins manage members, security
settings and integrations. Billing Admins see invoices and payment settings but no
files unless they are shared with them. Members create and share content.

Guests are people from outside your organisation. They see {guest_access_scope} and
can't browse the workspace directory or create top-level folders. Guests are free,
but a workspace can have at most {guest_limit}.

To change someone's role, open the member list in the admin console, click the
person and choose a new role. Only the Owner can make someone an Admin.
""",
    V("2025-10-22", workspace_roles="Owner, Admin, Billing Admin, Member and Guest",
      guest_access_scope="only the folders shared with them",
      guest_limit="5 guests per paid seat"),
)

q("accounts-roles", "factual", 2, ["workspace_roles"],
  "What roles are there in a Skyloft workspace?",
  "Which user roles does Skyloft have?",
  "list of workspace roles and permissions")
q("accounts-roles", "policy", 1, ["guest_access_scope"],
  "What can a guest see in our workspace?",
  "Can guests browse all our folders?",
  "What access do guests from outside our organisation get?")
q("accounts-roles", "factual", 1, ["guest_limit"],
  "How many guests can we invite?",
  "Do guests cost extra, and is there a limit on them?",
  "guest limit per paid seat")
q("accounts-roles", "structured", 1, ["workspace_roles", "guest_limit"],
  "List the workspace roles and the guest limit as JSON with fields roles and max_guests.",
  "Return JSON with fields role_names and guest_cap for Skyloft workspaces.",
  "JSON with fields workspace_roles and guests_per_seat, please.")

doc("accounts-suspended", "Suspended accounts", "accounts", """
If you see {suspension_error_code} with the message Account suspended, Skyloft's
trust and safety team has suspended the account, usually after reports of malware,
phishing or copyright infringement in shared files. Suspended accounts can't sign
in, and their public links stop working.

This is different from the temporary lock after too many wrong passwords, which
clears on its own; see the password policy article for that.

To appeal a suspension, email {suspension_appeal_email} from the account's address
with any context that helps us review it. We reply {appeal_response_time}. Files in a
suspended account are kept during the review and are not deleted unless the
suspension is confirmed and the account is closed.
""",
    V("2026-07-02", suspension_error_code="error code SKY-423",
      suspension_appeal_email="abuse@skyloft.example",
      appeal_response_time="within 3 business days"),
)

q("accounts-suspended", "troubleshooting", 2, ["suspension_appeal_email"],
  "My account was suspended, how do I appeal?",
  "I get an Account suspended message - who do I contact?",
  "Which email address handles account suspension appeals?")
q("accounts-suspended", "troubleshooting", 1, ["suspension_error_code"],
  "It's not a wrong password: sign-in says Account suspended. Which error code is that?",
  "What error code is shown when a Skyloft account is suspended?",
  "account suspended error code")
q("accounts-suspended", "factual", 1, ["appeal_response_time"],
  "How long does a suspension appeal take?",
  "When will I hear back after appealing an account suspension?",
  "suspended account appeal response time")

doc("accounts-merge", "Merging two accounts", "accounts", """
Skyloft accounts {accounts_merge_policy}, even when both belong to the same person.
If you have a personal account and a work account, keep them separate, or move the
files you need from one to the other.

To move files, share the folders from the old account with the new one as an Editor,
then use {transfer_files_feature} in the new account to make copies it owns. Version
history and comments are not copied. More than {transfer_files_limit} has to be moved
in several batches.

Once everything is copied, delete the old account if you no longer need it. If both
accounts are in the same workspace, an Admin can instead reassign the old account's
files to the new one when removing the member, which keeps version history.
""",
    V("2026-01-19", accounts_merge_policy="can't be merged",
      transfer_files_feature="Make a copy in My Files", transfer_files_limit="500 GB"),
)

q("accounts-merge", "policy", 2, ["accounts_merge_policy"],
  "Can I merge my personal and work Skyloft accounts?",
  "Is it possible to combine two Skyloft accounts into one?",
  "merge two skyloft accounts")
q("accounts-merge", "howto", 1, ["transfer_files_feature", "transfer_files_limit"],
  "I want to move my files to my new account and delete the old one - how?",
  "How do I copy everything from my old Skyloft account into my new one?",
  "Make a copy in My Files - is that how I move files between my accounts?")

doc("accounts-remove-member", "Removing a member and reassigning files", "accounts", """
When someone leaves the company, an Admin can remove the former employee at
{remove_member_path}. The person is
signed out everywhere within a minute, their desktop sync stops, and links they
created keep working unless you choose to disable them.

During removal you are asked to {file_reassignment}. The recipient gets the files in
a folder named after the departed person, with version history and sharing settings
intact. If you skip this step, the files are kept for {removed_member_retention} and
can be reassigned later from the Removed members tab.

Removing a member does not reduce your seat count or your bill; lower the seat count
separately if you don't plan to replace them.
""",
    V("2026-09-28", remove_member_path="Admin Console > Members > Remove member",
      file_reassignment="reassign their files to another member",
      removed_member_retention="28 days"),
)

q("accounts-remove-member", "howto", 2, ["remove_member_path"],
  "How do I remove someone who left the company?",
  "Where do I remove a member from our workspace?",
  "remove a member from the admin console")
q("accounts-remove-member", "policy", 1, ["removed_member_retention"],
  "If we remove a member without reassigning their files, how long are the files kept?",
  "We removed a leaver and skipped the file handover - how long until their files are gone?",
  "How long are a removed member's files kept if nobody takes them over?")
q("accounts-remove-member", "factual", 1, ["file_reassignment"],
  "What happens to a departed employee's files when I remove them?",
  "Do a removed member's files get lost or can someone else take them over?",
  "Can I reassign a removed member's files to another member?")
q("accounts-remove-member", "troubleshooting", 1, ["remove_member_path"],
  "A former employee can still sign in to our workspace - how do I remove them?",
  "Someone who left the company still has access; where do I remove the member?",
  "ex-employee still has skyloft access")

# =====================================================================================
# integrations
# =====================================================================================

doc("integrations-directory", "Finding and managing integrations", "integrations", """
Skyloft connects with chat, calendar, e-signature, automation and email tools. Browse
and install them at {integration_directory_path}. Each listing shows the permissions
the integration asks for and whether it was built by Skyloft or a third party.

By default any member can connect integrations and other apps to their own account. Admins on Team
and above can turn on {integration_approval_setting}, after which members request an
integration and an Admin approves or declines it. Integrations already connected keep
working until an Admin revokes them.

To see which integrations have access to workspace data, open the Connected tab on
the same page. Revoking an integration there removes its tokens for every member
immediately.
""",
    V("2026-02-08", integration_directory_path="Admin Console > Integrations > Directory",
      integration_approval_setting="Require admin approval"),
)

q("integrations-directory", "howto", 3, ["integration_directory_path"],
  "Where do I find and install integrations?",
  "How do I add an integration to Skyloft?",
  "integrations directory in the admin console")
q("integrations-directory", "policy", 1, ["integration_approval_setting"],
  "Can admins stop members from connecting apps without approval?",
  "How do we make integrations need admin approval?",
  "Can integrations require admin approval before members connect them?")
q("integrations-directory", "troubleshooting", 1, ["integration_approval_setting"],
  "Why does it say my integration is waiting for approval?",
  "I connected an app and it's stuck as requested - what setting causes that?",
  "integration waiting for admin approval")

doc("integrations-chirpline", "Chirpline chat integration", "integrations", """
The Chirpline integration posts Skyloft activity into Chirpline channels and lets
people share files without leaving the chat. After an Admin installs it from the
integrations directory, each person links their own Skyloft account the first time
they use it.

Type {chirpline_command} followed by a file name to search Skyloft and post a link.
The link respects Skyloft permissions, so channel members without access see a
request-access button. Previews are shown for documents, images and PDFs.

Folder notifications can be sent to {chirpline_channel_limit} per folder, for events
such as new uploads, comments and approvals. Notifications from private folders show
only the file name and who changed it, never the contents.{_note}
""",
    V("2026-05-06", chirpline_command="/skyloft share", chirpline_channel_limit="up to 10 channels"),
    V("2026-11-26", chirpline_channel_limit="up to 25 channels",
      _note=" The channel limit was raised on 26 November 2026."),
)

q("integrations-chirpline", "howto", 3, ["chirpline_command"],
  "How do I share a Skyloft file in Chirpline?",
  "what's the slash command for skyloft in chirpline",
  "Chirpline command to share a Skyloft file in a channel")
q("integrations-chirpline", "factual", 2, ["chirpline_channel_limit"],
  "How many Chirpline channels can one folder send notifications to?",
  "Is there a limit on Chirpline channels for folder notifications?",
  "chirpline folder notification channel limit")
q("integrations-chirpline", "troubleshooting", 1, ["chirpline_channel_limit"],
  "I can't add a 12th Chirpline channel to a folder's notifications, why?",
  "Adding another channel to folder notifications in Chirpline fails - is there a cap?",
  "What's the max number of Chirpline channels per folder for notifications?")
q("integrations-chirpline", "structured", 1, ["chirpline_command", "chirpline_channel_limit"],
  "Describe the Chirpline integration as JSON with fields share_command and max_channels.",
  "JSON with fields slash_command and channel_limit for Chirpline, please.",
  "Give me the Chirpline share command and channel limit as JSON with fields command and channels.")

doc("integrations-meetlane", "Meetlane calendar attachments", "integrations", """
With the Meetlane integration, files attached to a calendar event from Skyloft are
shared automatically with the people invited. Connect it in the integrations
directory, then choose Attach from Skyloft when editing an event in Meetlane.

Attached files give invitees {meetlane_share_permission}, including guests outside
your organisation if your sharing settings allow it. That access is removed
{meetlane_access_removal} unless the file was also shared with them another way.

Recurring events share the attachment with everyone invited to any occurrence. If
sharing with external people is disabled in your workspace, the attachment still
appears on the event, but external invitees see a request-access page.
""",
    V("2026-06-10", meetlane_share_permission="view-only access",
      meetlane_access_removal="7 days after the event ends"),
)

q("integrations-meetlane", "factual", 1, ["meetlane_share_permission"],
  "What access do invitees get to files attached in Meetlane?",
  "Can meeting invitees edit a Skyloft file attached to a Meetlane event?",
  "Meetlane attachment permissions for invitees")
q("integrations-meetlane", "troubleshooting", 1, ["meetlane_access_removal"],
  "People lost access to the file we attached to last month's Meetlane meeting, why?",
  "When does access to a Meetlane attachment go away for the invitees?",
  "How long after a Meetlane event ends do invitees keep access to attached files?")
q("integrations-meetlane", "howto", 1, ["meetlane_share_permission"],
  "How do I attach a Skyloft file to a Meetlane event, and what access do invitees get?",
  "Attaching Skyloft files to Meetlane meetings - what permission do the invitees get?",
  "meetlane attach from skyloft permissions")

doc("integrations-esign", "Inkwell Sign e-signatures", "integrations", """
The Inkwell Sign integration lets you send a PDF from Skyloft for signature and get
the signed copy back automatically. It is available on
{esign_plan_availability} and includes {esign_quota} per workspace; more can be bought
from Inkwell directly.

Right-click a PDF and choose Send for signature, add the signers and place the
fields. Signers don't need a Skyloft account, and their progress shows in the file's
activity panel. The original file is {esign_lock_rule} while a signature request is
open; cancel the request to unlock it.

When everyone has signed, the completed document is {esign_completed_location}, with
a certificate of completion appended as the last page.
""",
    V("2026-03-12", esign_plan_availability="Business and Enterprise only",
      esign_quota="100 envelopes per month", esign_lock_rule="locked against edits",
      esign_completed_location="saved next to the original"),
)

q("integrations-esign", "policy", 2, ["esign_plan_availability"],
  "Is Inkwell Sign available on the Team plan?",
  "Which plans include the e-signature integration?",
  "Inkwell Sign e-signature plan availability")
q("integrations-esign", "factual", 1, ["esign_quota"],
  "How many signature envelopes do we get per month?",
  "Is there a monthly limit on Inkwell Sign requests?",
  "Inkwell Sign envelopes per month included")
q("integrations-esign", "troubleshooting", 1, ["esign_completed_location"],
  "Where does the signed PDF end up after everyone signs?",
  "Everyone signed but I can't find the completed document in Skyloft",
  "Where is the completed Inkwell Sign document saved?")
q("integrations-esign", "troubleshooting", 1, ["esign_lock_rule"],
  "Why can't I edit a PDF I sent for signature? Do I need to cancel the request?",
  "A file out for e-signature won't let me make changes - is it locked?",
  "PDF locked against edits while an Inkwell Sign request is open?")
q("integrations-esign", "structured", 1, ["esign_plan_availability", "esign_quota"],
  "Describe Inkwell Sign as JSON with fields plans and monthly_envelopes.",
  "JSON with fields available_on and envelopes_per_month for the Inkwell Sign integration.",
  "Give me the e-signature plan availability and monthly quota as JSON with fields plan and quota.")

doc("integrations-flowbridge", "Flowbridge automation", "integrations", """
Flowbridge connects Skyloft to hundreds of other apps without code. Skyloft offers
triggers for {flowbridge_triggers}, and actions to upload files, create folders, move
files and create share links.

Triggers are checked {flowbridge_poll_interval}, so a flow may start a little after
the event happens in Skyloft.{_note} Flows run with the permissions of the person
who connected the Skyloft account; if that person leaves the workspace, the flows
stop and Flowbridge shows an authentication error.

Each Flowbridge action counts against your workspace's API rate limit. Very busy flows
can cause rate-limit errors for other integrations, so consider a dedicated workspace
API key and filters that skip files you don't need.
""",
    V("2026-07-15", flowbridge_triggers="new files, new folders and new comments",
      flowbridge_poll_interval="every 15 minutes"),
    V("2026-11-29", flowbridge_poll_interval="every 2 minutes",
      _note=" Faster checking was introduced on 29 November 2026."),
)

q("integrations-flowbridge", "factual", 2, ["flowbridge_poll_interval"],
  "How quickly do Flowbridge triggers fire?",
  "Why is there a delay before my Flowbridge flow starts?",
  "How often are Flowbridge triggers checked?")
q("integrations-flowbridge", "factual", 1, ["flowbridge_triggers"],
  "Which Skyloft triggers are available in Flowbridge?",
  "What events can start a Flowbridge flow from Skyloft?",
  "Flowbridge triggers for new files and folders?")
q("integrations-flowbridge", "troubleshooting", 1, ["flowbridge_poll_interval"],
  "My Flowbridge flow started 10 minutes after the upload - is that a bug?",
  "Flowbridge took ten minutes to notice a new file in Skyloft, is that normal?",
  "Flowbridge trigger delay - how often does it check Skyloft?")
q("integrations-flowbridge", "structured", 1, ["flowbridge_triggers", "flowbridge_poll_interval"],
  "Return JSON with fields triggers and check_interval for the Flowbridge integration.",
  "As JSON with fields available_triggers and polling, how does Flowbridge work with Skyloft?",
  "Give me Flowbridge trigger details as JSON with fields trigger_events and polling_interval.")

doc("integrations-webdav", "Connecting with WebDAV", "integrations", """
Skyloft can be mounted as a network drive in any WebDAV client. Use the server
address {webdav_url} and your Skyloft email as the user name.

Your normal password won't work over WebDAV, and neither will single sign-on.
Instead, create an app password at {app_password_path}, give it a name and paste it
into your WebDAV client. App passwords are shown once and can be revoked at any time;
each person can have {app_password_limit}.

WebDAV is slower than the desktop app for large folders and doesn't support version
history or sharing. Files larger than 4 GB can't be uploaded through WebDAV; use the
desktop app or the web app instead.
""",
    V("2025-09-30", webdav_url="https://dav.skyloft.example",
      app_password_path="Settings > Security > App passwords",
      app_password_limit="up to 10 app passwords"),
)

q("integrations-webdav", "howto", 2, ["webdav_url"],
  "How do I connect to Skyloft via WebDAV?",
  "webdav server address for skyloft",
  "mount skyloft as a network drive with WebDAV")
q("integrations-webdav", "troubleshooting", 2, ["app_password_path"],
  "WebDAV keeps rejecting my password, what's wrong?",
  "My normal Skyloft sign-in doesn't work in the WebDAV client",
  "Do I need an app password for WebDAV?")
q("integrations-webdav", "factual", 1, ["app_password_limit"],
  "How many app passwords can I create?",
  "Is there a limit on app passwords per person?",
  "app password limit per person")
q("integrations-webdav", "structured", 1, ["webdav_url", "app_password_path"],
  "Give me WebDAV connection details as JSON with fields server and credentials_page.",
  "JSON with fields url and where_to_create_app_password for mounting Skyloft over WebDAV.",
  "As JSON with fields webdav_server and app_password_page, how do I connect over WebDAV?")
q("integrations-webdav", "troubleshooting", 1, ["app_password_limit"],
  "I can't create another app password for WebDAV - is there a limit?",
  "Creating an 11th app password fails, what's the maximum per person?",
  "app password limit reached")

doc("integrations-import", "Importing files from other storage services", "integrations", """
The import tool copies files from another cloud storage service or an FTP server into
Skyloft without downloading them to your computer first. Admins start an import at
{import_tool_path}, sign in to the source service and choose which folders to bring
over.

Each import job can move {import_job_limit}; split larger migrations into several
jobs, which can run at the same time. Imports run in the background and you get an
email when each job finishes, with a report of any files that were skipped.

Folder structure, file names and modification dates are preserved.
{import_not_copied} are not copied, so plan to re-share folders after the import.
Files that exceed your plan's per-file limit are skipped and listed in the report.
""",
    V("2026-08-27", import_tool_path="Admin Console > Data > Import",
      import_job_limit="up to 2 TB of data",
      import_not_copied="Comments and sharing permissions"),
)

q("integrations-import", "howto", 2, ["import_tool_path"],
  "How do I migrate files from another cloud storage service?",
  "Where is the import tool for moving our files into Skyloft?",
  "import files from FTP or another cloud storage into Skyloft")
q("integrations-import", "factual", 1, ["import_job_limit"],
  "How much data can one import job move?",
  "Is there a size limit per import job?",
  "How many TB can a single import job copy?")
q("integrations-import", "policy", 1, ["import_not_copied"],
  "Will sharing permissions come over when we import our files?",
  "What isn't copied when importing from another storage service?",
  "Are comments and sharing permissions copied by the import tool?")
q("integrations-import", "structured", 1, ["import_tool_path", "import_job_limit"],
  "Give me the import tool details as JSON with fields import_path and job_size_limit.",
  "JSON with fields where_to_import and max_per_job for migrating files into Skyloft.",
  "As JSON with fields tool_location and import_job_limit, how do imports work?")

doc("integrations-developer-apps", "Publishing an app in the integrations directory", "integrations", """
Developers can build integrations on the Skyloft API and publish them in the
integrations directory. Register your app at {app_registration_url} to get a client
ID and secret; unpublished apps can be used by up to 25 test users.

To publish, submit the app for review. We check that it requests only the scopes it
needs, handles revoked tokens gracefully and has a {app_listing_requirements}. Reviews
take up to {app_review_time}, and we'll email you about any changes required.

Published apps must keep their listing accurate and respond to security reports
within two business days. Apps that request the admin scope or are used by more than
1,000 workspaces go through an additional security assessment.
""",
    V("2026-10-14", app_registration_url="developers.skyloft.example/apps",
      app_listing_requirements="published privacy policy and support email",
      app_review_time="15 business days"),
)

q("integrations-developer-apps", "howto", 1, ["app_registration_url"],
  "How do I register an app for the Skyloft API?",
  "Where do I get a client ID and secret for my integration?",
  "developer app registration page")
q("integrations-developer-apps", "factual", 1, ["app_review_time"],
  "How long does app review take for the integrations directory?",
  "How long until our integration is approved for publishing?",
  "How many business days does app review take before publishing?")
q("integrations-developer-apps", "policy", 1, ["app_listing_requirements"],
  "What do we need before publishing our integration?",
  "What listing requirements does a Skyloft app have to meet for review?",
  "Does our app listing need a privacy policy and support email to be published?")

doc("integrations-email-upload", "Uploading files by email", "integrations", """
Every folder on Team and above can receive files by email. Open the folder, choose
Folder settings > Email uploads and turn it on to get a unique address ending in
{email_upload_domain}. Attachments sent to that address are saved in the folder, and
the email body can be saved as a text file too.

The maximum attachment size is {email_upload_size_limit} per email in total; messages
whose attachments go over that size limit are bounced back to the sender. Only approved senders can upload: by default that means members of the workspace, and
Admins can add outside addresses or whole domains.

If attachments don't appear, check that the sender is approved and that the address
hasn't been regenerated; regenerating it in Folder settings stops the old address from
working immediately.
""",
    V("2026-01-31", email_upload_domain="@in.skyloft.example", email_upload_size_limit="35 MB"),
)

q("integrations-email-upload", "howto", 2, ["email_upload_domain"],
  "Can I email files directly into a Skyloft folder?",
  "How do I get an email address for uploading to a folder?",
  "email uploads address for a folder")
q("integrations-email-upload", "troubleshooting", 1, ["email_upload_size_limit"],
  "Attachments I emailed to my folder never showed up - is there a size limit?",
  "Email upload to a folder failed for a big attachment, what's the maximum?",
  "email upload attachment size limit in MB")
q("integrations-email-upload", "factual", 1, ["email_upload_size_limit"],
  "What's the maximum attachment size for email uploads?",
  "How large can attachments be when emailing files to a folder?",
  "Is there a cap on attachment size when uploading files by email?")

# =====================================================================================
# data_retention
# =====================================================================================

doc("retention-trash", "Trash and restoring deleted files", "data_retention", """
Deleted files and folders go to Trash, where they are {trash_retention} before being
permanently deleted. Files in Trash still count towards your storage until they are
purged.{_note}

To restore something, open the {trash_location}, select the items and click Restore;
they return to their original folder with version history intact. If the original
folder no longer exists, it is recreated.

Files deleted from a shared folder go to the Trash of the person who deleted them and
can also be restored by {shared_trash_restorer}. Emptying Trash or choosing Delete
forever skips the waiting period, and those files can't be recovered by support.
""",
    V("2026-03-05", trash_retention="kept for 30 days", trash_location="Trash in the left sidebar",
      shared_trash_restorer="the folder owner or any Admin"),
    V("2026-09-15", trash_retention="kept for 45 days",
      _note=" The Trash period was extended on 15 September 2026."),
    V("2026-11-25", trash_retention="kept for 60 days",
      _note=" The Trash period was extended again on 25 November 2026."),
)

q("retention-trash", "factual", 5, ["trash_retention"],
  "How long are deleted files kept in Trash?",
  "Can I still recover a file I deleted seven weeks ago?",
  "trash retention period")
q("retention-trash", "howto", 3, ["trash_location"],
  "How do I restore a deleted file?",
  "Where do I find files I removed by accident?",
  "undo a file deletion in skyloft")
q("retention-trash", "troubleshooting", 1, ["shared_trash_restorer"],
  "A colleague deleted a file from our shared folder - can I restore it?",
  "Who can bring back a file someone else removed from a shared folder?",
  "Who can restore files deleted from a shared folder's Trash?")
q("retention-trash", "policy", 1, ["trash_retention"],
  "When are files in Trash purged for good?",
  "How long before items in the Trash are permanently removed?",
  "How many days are deleted items kept in Trash before they're purged?")
q("retention-trash", "structured", 1, ["trash_retention", "trash_location"],
  "As JSON with fields retention and location, tell me how long deleted files stay in Trash and where to restore them.",
  "JSON with fields trash_period and restore_location for recovering deleted files.",
  "Return JSON with fields days_in_trash and trash_location for restoring deleted files.")

doc("retention-version-history", "File version history", "data_retention", """
Skyloft keeps earlier versions of every file so you can see what changed and roll
back. How far back you can go depends on the plan: Free keeps
{version_history_free}, Team keeps {version_history_team}, Business keeps
{version_history_business} and Enterprise keeps {version_history_enterprise}.{_note}

To see versions, right-click a file and choose Version history. You can preview,
download or restore any version; restoring creates a new version, so nothing is lost.
Each file keeps at most 500 versions, with the oldest dropped first.

Old versions don't count towards your storage allowance. When a workspace downgrades,
versions older than the new plan allows are removed once the downgrade takes effect.
""",
    V("2026-04-11", version_history_free="30 days of versions",
      version_history_team="180 days of versions",
      version_history_business="1 year of versions",
      version_history_enterprise="10 years of versions"),
    V("2026-11-28", version_history_business="3 years of versions",
      _note=" Business version history was extended on 28 November 2026."),
)

q("retention-version-history", "factual", 3, ["version_history_business"],
  "How far back does version history go on Business?",
  "How long are old file versions kept on the Business plan?",
  "Business plan version history retention")
q("retention-version-history", "factual", 2, ["version_history_team"],
  "How long are old versions of files kept on Team?",
  "version history length on the team plan",
  "How many days of file version history does the Team plan keep?")
q("retention-version-history", "howto", 1, ["version_history_free"],
  "How far back can I restore an older version of a file on the Free plan?",
  "On Free, how many days of file versions can I roll back to?",
  "free plan version history")
q("retention-version-history", "structured", 1,
  ["version_history_free", "version_history_team", "version_history_business"],
  "Give me version history retention as JSON with fields free, team and business.",
  "JSON with fields free, team and business: how long does each plan keep file versions?",
  "As JSON with fields free_versions, team_versions and business_versions, how long is version history kept?")
q("retention-version-history", "troubleshooting", 1, ["version_history_team"],
  "I can't find a version from 8 months ago on our Team plan, why?",
  "Older file versions are missing in version history on Team - how long are they kept?",
  "Why does version history on Team stop after about six months?")

doc("retention-workspace-deletion", "Deleting a workspace and recovering it", "data_retention", """
Only the Owner can delete a workspace, from {workspace_delete_path}, and only after
any paid plan has ended. Deleting removes access for every member immediately,
disables all share links and revokes integrations and API keys.

A deleted workspace is {workspace_restore_window}: if it was deleted by accident, the
Owner can ask support to recover it, and it is restored exactly as it was. After
that, files are permanently erased from primary storage, and the workspace's data is
removed from backups {backup_purge_window}.{_note}

Deleting a workspace does not delete members' Skyloft accounts or their personal
files. If you only want to stop paying, cancel the plan instead: the workspace moves
to Free and keeps its files.
""",
    V("2026-01-22", workspace_delete_path="Admin Console > General > Delete workspace",
      workspace_restore_window="restorable for 14 days",
      backup_purge_window="within 35 days"),
    V("2026-11-28", workspace_restore_window="restorable for 30 days",
      _note=" Workspaces deleted before 28 November 2026 keep the shorter period."),
)

q("retention-workspace-deletion", "howto", 2, ["workspace_delete_path"],
  "How do I delete our workspace?",
  "Where is the option to remove a whole workspace?",
  "delete workspace option for the Owner")
q("retention-workspace-deletion", "policy", 2, ["workspace_restore_window"],
  "We deleted our workspace by accident - can it be restored?",
  "How long after deleting a workspace can support bring it back?",
  "Can a deleted workspace be restored by support, and for how long?")
q("retention-workspace-deletion", "factual", 1, ["backup_purge_window"],
  "When is data from a deleted workspace removed from backups?",
  "How long do backup copies of a removed workspace survive?",
  "When are backups of a deleted workspace overwritten?")
q("retention-workspace-deletion", "policy", 1, ["workspace_restore_window"],
  "If I cancel our plan and then delete the workspace, how long can support still recover it?",
  "After the plan has ended and the workspace is deleted, is there a window to undo it?",
  "How long is a deleted workspace restorable?")
q("retention-workspace-deletion", "structured", 1, ["workspace_restore_window", "backup_purge_window"],
  "Return JSON with fields restore_window and backup_removal describing what happens to a deleted workspace and its backups.",
  "As JSON with fields recoverable_for and backups_erased, describe workspace deletion.",
  "JSON with fields restorable_days and backup_overwrite for a deleted workspace.")

doc("retention-policies", "Custom retention policies", "data_retention", """
Retention policies let Admins keep or remove content automatically, for example
deleting files in a temporary folder after a month or keeping contracts for seven
years. They are available on {retention_policy_plans} and are managed at
{retention_policy_path}.

A policy applies to the whole workspace or to chosen folders and sets a period
{retention_policy_range}. With Keep, files can still be edited, but deleted items are
held until the period ends. With Delete, files move to Trash once they are older than
the period.

When policies overlap, keeping wins over deleting, and the longest keep period
applies. Changes to a policy are recorded in the audit log.
""",
    V("2026-06-22", retention_policy_plans="Business and Enterprise plans",
      retention_policy_path="Admin Console > Data > Retention",
      retention_policy_range="from 1 day to 10 years"),
)

q("retention-policies", "howto", 2, ["retention_policy_path"],
  "How do I set up a retention policy to delete old files automatically?",
  "Where do admins manage retention policies?",
  "Where are retention policies managed in the admin console?")
q("retention-policies", "policy", 1, ["retention_policy_plans"],
  "Which plans have custom retention policies?",
  "Can we use retention policies on the Team plan?",
  "retention policies plan availability")
q("retention-policies", "factual", 1, ["retention_policy_range"],
  "What's the longest retention period I can set in a policy?",
  "What range of periods can a retention policy use?",
  "minimum and maximum retention policy period")
q("retention-policies", "troubleshooting", 1, ["retention_policy_plans"],
  "The retention policies page is missing from our admin console - why?",
  "I can't find retention settings as an Admin on our plan, are they included?",
  "no retention policy option for our workspace")

doc("retention-legal-hold", "Legal hold", "data_retention", """
Legal hold preserves everything a person or folder contains, including deleted items
and old versions, for as long as the hold is active, regardless of Trash periods or
retention policies. It is included with Enterprise and is managed at
{legal_hold_path} by Owners and by Admins with the eDiscovery permission.

A hold covers {legal_hold_scope} belonging to the people or folders you select.
Skyloft does not notify the people on hold; send your own notice if your process
requires one.

Held content stays visible to users as normal, and anything they delete disappears
from their view but is kept. Releasing a hold lets normal retention rules apply
again, so deleted items that are past their Trash period are purged within a day.
""",
    V("2026-09-03", legal_hold_path="Admin Console > Data > Legal holds",
      legal_hold_scope="files, versions and comments"),
)

q("retention-legal-hold", "howto", 1, ["legal_hold_path"],
  "How do I place a user on legal hold?",
  "Where are legal holds managed?",
  "set up a legal hold in the admin console")
q("retention-legal-hold", "policy", 1, ["legal_hold_scope"],
  "If someone on legal hold deletes files, are they preserved?",
  "What exactly does a legal hold preserve?",
  "Does legal hold keep files, versions and comments?")
q("retention-legal-hold", "structured", 1, ["legal_hold_path", "legal_hold_scope"],
  "Describe legal hold as JSON with fields admin_path and preserved_items.",
  "JSON with fields where_to_manage and what_is_kept for a legal hold.",
  "As JSON with fields legal_hold_page and scope, how does legal hold work?")

doc("retention-workspace-export", "Exporting all workspace data", "data_retention", """
Owners can export everything in a workspace at {workspace_export_path}. The export
includes all files in their folder structure, the member list, sharing settings as a
CSV file and, on Business and Enterprise, the audit log.

Skyloft prepares the export in the background and splits it into
{export_archive_format} rather than one single file. Large workspaces can take a day or more. When it's ready,
the Owner gets an email with a download link for each archive; each link is
{export_link_validity}.{_note}

Exports do not include Trash or old versions of files. If you are leaving Skyloft,
export your data before deleting the workspace: once a deleted workspace has been
purged, it can't be exported.
""",
    V("2026-05-27", workspace_export_path="Admin Console > Data > Export workspace",
      export_archive_format="ZIP archives of up to 20 GB",
      export_link_validity="available for 7 days"),
    V("2026-11-26", export_link_validity="available for 72 hours",
      _note=" Links were shortened on 26 November 2026 for security reasons."),
)

q("retention-workspace-export", "howto", 3, ["workspace_export_path"],
  "How do I export all our workspace data?",
  "We're leaving Skyloft - where do I download everything?",
  "full data export of the workspace")
q("retention-workspace-export", "troubleshooting", 2, ["export_link_validity"],
  "The export download link doesn't work anymore - how long is it valid?",
  "Our data export link expired before we downloaded it, how long do the links last?",
  "How long are workspace export download links available?")
q("retention-workspace-export", "factual", 1, ["export_archive_format"],
  "What format does the workspace export come in?",
  "How is a full workspace export packaged?",
  "Are workspace exports split into ZIP archives?")
q("retention-workspace-export", "structured", 1, ["workspace_export_path", "export_link_validity"],
  "Describe how to export workspace data as JSON with fields export_path and link_valid_for.",
  "JSON with fields export_path and download_link_lifetime for a full workspace export.",
  "As JSON with fields export_page and link_lifetime, how do I export the workspace?")
q("retention-workspace-export", "policy", 1, ["export_archive_format"],
  "Can I export the whole workspace as one single file?",
  "Does a workspace export come as one download or several archives?",
  "max size of each archive in a workspace export")

doc("retention-backups", "Backups and disaster recovery", "data_retention", """
Skyloft stores every file in at least three copies across separate facilities in the
workspace's home region. On top of that, we back up all data
{backup_frequency}, encrypt and replicate the backups to {backup_location}, and
backups are {backup_retention}.

Backups exist to recover from a disaster affecting Skyloft, not to restore individual
files for customers. To get back a file you deleted or changed, use Trash or version
history, which cover nearly every situation.

Our disaster recovery plan targets a recovery point objective of six hours and a
recovery time objective of twelve hours, and it is tested twice a year.
""",
    V("2025-08-12", backup_frequency="every 6 hours",
      backup_location="a second region in the same jurisdiction",
      backup_retention="kept for 35 days"),
)

q("retention-backups", "factual", 1, ["backup_frequency"],
  "How often does Skyloft back up data?",
  "How frequently are backups taken?",
  "backup frequency")
q("retention-backups", "policy", 1, ["backup_retention"],
  "How long are Skyloft backups kept?",
  "What's the retention period for backups?",
  "How many days are encrypted backups kept?")
q("retention-backups", "factual", 1, ["backup_location"],
  "Where are backups stored?",
  "Do backups leave our region or jurisdiction?",
  "Are backups replicated to a second region?")

doc("retention-personal-data", "Personal data requests (GDPR)", "data_retention", """
Skyloft acts as a processor for files your organisation stores and as a controller
for account and billing data. To get a copy of your personal data, a correction or
its deletion, email {privacy_request_email} from the address on your account, or use
Settings > Privacy > Request my data.

We respond {privacy_response_deadline}, as GDPR requires; complex requests can be
extended by two further months, and we'll tell you if that happens. A machine-readable
copy of your account data is provided as a JSON file.

If your account belongs to a company workspace, requests about files in that
workspace are usually handled by the company, so we may forward your request to the
workspace Owner.
""",
    V("2026-02-12", privacy_request_email="privacy@skyloft.example",
      privacy_response_deadline="within one month"),
)

q("retention-personal-data", "howto", 2, ["privacy_request_email"],
  "How do I export a copy of all the personal data you hold about me?",
  "GDPR access request - who do I email?",
  "Who handles personal data requests - is there a privacy email?")
q("retention-personal-data", "policy", 1, ["privacy_response_deadline"],
  "How long do you have to answer a GDPR request?",
  "When will I get a response to my personal data request?",
  "GDPR personal data request response time")
q("retention-personal-data", "howto", 1, ["privacy_request_email"],
  "I want you to delete my personal data under GDPR, who do I contact?",
  "Where do I send a request to erase my personal data?",
  "privacy email address for GDPR deletion requests")

doc("retention-inactive-workspaces", "Inactive Free workspaces", "data_retention", """
Free workspaces that nobody uses for a long time are deleted to free up storage. A
workspace counts as inactive after {free_inactivity_period}; paid workspaces are never
deleted for inactivity.

Before deleting, we send {inactivity_warning_count} to the Owner over the following
60 days. Signing in to the web app or desktop app once is enough to keep the
workspace; activity through share links or the API doesn't count.

Once an inactive workspace is deleted, it goes through the same restoration period as
a workspace deleted by its Owner, after which its files are erased.
""",
    V("2026-10-20", free_inactivity_period="24 months without a sign-in",
      inactivity_warning_count="three warning emails"),
)

q("retention-inactive-workspaces", "policy", 1, ["free_inactivity_period"],
  "Will my Free workspace be deleted if I don't use it?",
  "How long can a Free workspace sit unused before it's removed?",
  "Are inactive Free workspaces deleted, and after how long without a sign-in?")
q("retention-inactive-workspaces", "factual", 1, ["inactivity_warning_count"],
  "Will I get a warning before an inactive workspace is removed?",
  "How many warnings does Skyloft send before deleting an inactive workspace?",
  "inactive workspace warning emails")

# =====================================================================================
# topics the knowledge base deliberately does not cover: a good answer says it
# doesn't know and routes the user to a human
# =====================================================================================

absent("mobile_app", "factual", 2, "Does the Skyloft iPhone app support offline folders?",
       "Can I mark folders for offline use in the iOS app?",
       "offline access on the skyloft phone app?")
absent("mobile_app", "howto", 2, "How do I turn on camera upload in the Android app?",
       "Can the Skyloft Android app back up my photos automatically?",
       "auto upload photos from phone to skyloft")
absent("mobile_app", "troubleshooting", 2, "The mobile app crashes every time I open a PDF.",
       "Skyloft app on my phone closes when I tap a PDF, how do I fix it?",
       "app crash when opening pdf on android")
absent("mobile_app", "factual", 1, "Can I unlock the Skyloft mobile app with Face ID?",
       "Does the phone app support a fingerprint or face unlock?",
       "biometric unlock in the mobile app?")
absent("mobile_app", "troubleshooting", 1, "I don't get push notifications from the Skyloft app on my phone.",
       "Why are mobile notifications for comments not arriving?",
       "push notifications not working in the skyloft mobile app")
absent("mobile_app", "factual", 1, "Is there a Skyloft app for tablets?",
       "Does Skyloft have an iPad version?",
       "skyloft tablet app")
absent("mobile_app", "howto", 1, "How do I scan a paper document with the mobile app?",
       "Can I use my phone camera in the Skyloft app to scan receipts into a folder?",
       "document scanner in the skyloft phone app?")
absent("mobile_app", "policy", 1, "Can admins wipe Skyloft data from a lost phone remotely?",
       "Does Skyloft support remote wipe of the mobile app on a stolen device?",
       "remote wipe for lost phones")
absent("mobile_app", "factual", 1, "Which Android versions does the Skyloft app support?",
       "minimum android version for the skyloft app",
       "Will the Skyloft app run on an older Android phone?")
absent("mobile_app", "troubleshooting", 1, "The mobile app keeps logging me out every day.",
       "Why does the Skyloft phone app sign me out all the time?",
       "phone app logs me out constantly")

absent("partner_program", "howto", 2, "How do I become a Skyloft reseller?",
       "We'd like to resell Skyloft to our clients, how do we join?",
       "reseller program sign up")
absent("partner_program", "factual", 1, "What commission do Skyloft affiliates earn?",
       "How much do affiliates get paid per referral?",
       "affiliate commission rate")
absent("partner_program", "policy", 1, "Is there a referral bonus for recommending Skyloft?",
       "Do I get a reward if a company I refer signs up?",
       "referral program rewards?")
absent("partner_program", "howto", 1, "Where is the partner portal login?",
       "I can't find the sign-in page for the Skyloft partner portal.",
       "partner portal sign in link")
absent("partner_program", "policy", 1, "Do partners get a discount on Enterprise licences they sell?",
       "What margin do resellers get on Enterprise deals?",
       "reseller discount on enterprise seats")
absent("partner_program", "howto", 1, "How do we register a deal as a Skyloft partner?",
       "Where do partners submit deal registrations?",
       "partner deal registration process")
absent("partner_program", "factual", 1, "Do you have a certification program for Skyloft consultants?",
       "Is there a partner certification or training track?",
       "How do consultants get Skyloft certified?")
absent("partner_program", "policy", 1, "Can we white-label Skyloft for our customers?",
       "Is a white-label or rebranded version of Skyloft available to partners?",
       "white label skyloft")
absent("partner_program", "factual", 1, "When are affiliate commissions paid out?",
       "How often do partners receive their payouts?",
       "affiliate payout schedule")
absent("partner_program", "troubleshooting", 1, "Our managed service provider can't see our workspace in their partner dashboard.",
       "Why doesn't our workspace show up for our partner in their dashboard?",
       "partner dashboard doesn't list our company")

# =====================================================================================
# small talk
# =====================================================================================

chat(3, "hi", "hello", "hey there")
chat(2, "Good morning!", "good afternoon", "Good evening, anyone there?")
chat(3, "thanks, that helped", "thank you so much!", "great, thanks")
chat(2, "Who are you?", "What are you?", "who am I talking to")
chat(2, "Are you a bot or a real person?", "am I chatting with a human?",
     "is this an AI assistant?")
chat(2, "What can you help me with?", "what kinds of questions can you answer?",
     "What do you know about?")
chat(1, "bye", "goodbye!", "that's all for today, bye")
chat(1, "You're awesome", "nice, you're really helpful", "love this assistant")
chat(1, "How are you today?", "how's it going?", "hope you're doing well")
chat(1, "ok cool", "got it", "alright, makes sense")
chat(1, "What's your name?", "do you have a name?", "what should I call you?")
chat(1, "hey, quick question", "can I ask you something?", "hi, I need some help")
chat(1, "lol thanks", "haha ok thank you", "ty!")
chat(1, "Have a nice day!", "have a good weekend", "take care")
chat(1, "Can I talk to a human instead?", "I'd like to speak to a person please",
     "transfer me to a support agent")
chat(1, "Is this chat recorded?", "are you saving this conversation?",
     "do you keep a log of this chat?")
chat(1, "sorry, wrong window", "oops, never mind", "ignore that, my mistake")


# =====================================================================================
# rendering
# =====================================================================================

PLACEHOLDER = re.compile(r"\{(_?[a-z][a-z0-9_]*)\}")


def render(template, values, where):
    """Fills {key} placeholders and normalises whitespace paragraph by paragraph."""
    def sub(m):
        key = m.group(1)
        if key.startswith("_"):
            return values.get(key, "")
        if key not in values:
            sys.exit(f"gen_world: {where}: no value for placeholder {{{key}}}")
        return values[key]
    paragraphs = re.split(r"\n\s*\n", template.strip())
    return "\n\n".join(" ".join(PLACEHOLDER.sub(sub, p).split()) for p in paragraphs)


def build_kb():
    documents = []
    for d in DOCS:
        versions, facts = [], {}
        for n, (date, given) in enumerate(d["versions"], start=1):
            aux = {k: v for k, v in given.items() if k.startswith("_")}
            facts = {**facts, **{k: v for k, v in given.items() if not k.startswith("_")}}
            body = render(d["body"], {**facts, **aux}, f"{d['id']} v{n}")
            used = set(PLACEHOLDER.findall(d["body"]))
            unused = [k for k in facts if k not in used]
            if unused:
                sys.exit(f"gen_world: {d['id']} v{n}: facts not in the template: {unused}")
            versions.append({"version": n, "updated_at": date, "body": body,
                             "facts": dict(facts)})
        documents.append({"id": d["id"], "title": d["title"], "topic": d["topic"],
                          "versions": versions})
    return {"product": "Skyloft",
            "topics": [{"id": i, "title": t, "in_kb": k} for i, t, k in TOPICS],
            "documents": documents}


def build_catalogue():
    topic_of = {d["id"]: d["topic"] for d in DOCS}
    out = []
    for n, qq in enumerate(QUERIES, start=1):
        entry = {"id": f"q{n:04d}", "type": qq["type"],
                 "topic": topic_of[qq["doc"]] if "doc" in qq else qq["topic"],
                 "text": qq["text"], "paraphrases": qq["paraphrases"], "facts": qq["facts"]}
        if "doc" in qq:
            if qq["doc"] not in topic_of:
                sys.exit(f"gen_world: q{n:04d}: unknown document {qq['doc']}")
            entry["doc"] = qq["doc"]
        entry["answerable"] = qq.get("answerable", True)
        entry["weight"] = qq["weight"]
        out.append(entry)
    return {"queries": out}


def write(path, data):
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"gen_world: wrote {path.relative_to(ASSETS.parent)}")


def main():
    kb, cat = build_kb(), build_catalogue()
    write(ASSETS / "kb.json", kb)
    write(ASSETS / "catalogue.json", cat)
    print(f"gen_world: {len(kb['documents'])} documents, {len(cat['queries'])} queries")


if __name__ == "__main__":
    main()
