/* sim_score.h - response-time scoring against ground truth.
 *
 * A pure function of what happened in a drill: the fault onset (first harm a
 * fault caused), the trainee's action times, and per-10-second series of the
 * harm faults caused and of whether a blunt lever (kill switch, disabled type
 * or topic) was on. It yields the response times (detect, contain, diagnose,
 * mitigate, each from onset), a 0..1 score per part and a 0..100 total with
 * penalties. A drill where no fault ever did harm earns the response parts in
 * full, unless it stopped before a fault still to come (or under way) did
 * any: then there was nothing responded to and they earn nothing. Every
 * part and the total are clamped, so no input can push the score out of
 * range. */
#ifndef SIM_SCORE_H
#define SIM_SCORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim_queue.h"
#include "sim_scenario.h"

typedef struct sim_score_in {
    const sim_scoring *cfg;
    sim_time duration;
    sim_time onset;            /* SIM_TIME_NEVER: no fault ever caused harm */
    sim_time detect;           /* first ack/declare at or after onset, or NEVER */
    sim_time diagnose;         /* diagnosis time, or NEVER */
    bool symptom_correct, cause_correct;
    sim_time first_lever;      /* first lever the trainee pulled after onset, or NEVER */
    sim_time fix_effect;       /* an accepted fix took effect, or NEVER */
    sim_time resolve;          /* or NEVER */
    bool incident_ahead;       /* no onset yet while a fault is still to begin or under
                                  way: stopped (or scored) before its incident */
    bool postmortem_done;      /* a complete post-mortem within the deadline */
    bool postmortem_eval_ok;   /* its eval case fails faulty and passes healthy */
    const double *fault_harm;  /* per 10 s slot, n slots */
    const uint8_t *blunt;      /* per 10 s slot: 1 while a blunt lever is on */
    size_t n;
    double harm;               /* weighted harm over the drill */
    uint64_t unavailable;      /* responses withheld by levers */
    double mean_rate;          /* requests/s, to turn unavailability into outage minutes */
    int wrong_levers;          /* levers outside the accepted contain/fix sets */
} sim_score_in;

typedef struct sim_score_out {
    sim_time contain, mitigate;     /* absolute times or NEVER */
    double detect_s, contain_s, diagnose_s, mitigate_s; /* from onset; < 0 when not reached */
    double part[SIM_PART_COUNT];    /* 0..1 each */
    double points[SIM_PART_COUNT];  /* part x weight */
    double penalty_levers, penalty_availability;
    double total;                   /* 0..100 */
} sim_score_out;

/* 1 at or under target, falling linearly to 0 at 4x target; 0 when never. */
double sim_score_time(sim_time t_from_onset, bool reached, sim_time target);
void sim_score_compute(const sim_score_in *in, sim_score_out *out);

#endif
