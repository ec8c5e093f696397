// sdk_test.mjs - drives `firedrill serve` with the official OpenAI Node.js SDK.
//
// Run by tests/integration/http_node.sh with FD_BASE (http://127.0.0.1:PORT),
// FD_KEY, FD_TRAINEE and FD_TRAINER in the environment. Prints one line per
// check and exits non-zero on the first failure.
import OpenAI from 'openai';

const base = process.env.FD_BASE;
const key = process.env.FD_KEY;
const trainee = process.env.FD_TRAINEE;
const trainer = process.env.FD_TRAINER;
const question = 'How do I reset my password?';

function check(cond, what) {
  if (!cond) {
    console.error(`FAIL: ${what}`);
    process.exit(1);
  }
  console.log(`ok: ${what}`);
}

async function expectError(promise, cls, status, what) {
  try {
    await promise;
  } catch (e) {
    check(e instanceof cls && e.status === status,
          `${what} -> ${cls.name} ${status} (got ${e.constructor.name} ${e.status})`);
    return e;
  }
  check(false, `${what} -> should have failed`);
  return null;
}

async function admin(method, path, body, token = trainer) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

const client = new OpenAI({ apiKey: key, baseURL: `${base}/v1`, maxRetries: 0, timeout: 60000 });

// Models.
const models = await client.models.list();
const ids = models.data.map((m) => m.id);
check(ids.length > 0 && models.data.every((m) => m.object === 'model'), `models.list: ${ids}`);
const model = ids[0];
const one = await client.models.retrieve(model);
check(one.id === model, `models.retrieve(${model})`);

// A completion, not streamed.
const c = await client.chat.completions.create({
  model,
  messages: [{ role: 'system', content: 'You are helpful.' }, { role: 'user', content: question }],
  max_tokens: 300,
});
check(c.object === 'chat.completion' && c.id.startsWith('chatcmpl-'), 'completion object and id');
check(typeof c.choices[0].message.content === 'string' && c.choices[0].message.content.length > 0,
      `completion text: "${c.choices[0].message.content.slice(0, 60)}..."`);
check(c.choices[0].message.role === 'assistant', 'assistant role');
check(['stop', 'length'].includes(c.choices[0].finish_reason), 'finish_reason');
check(c.usage.total_tokens === c.usage.prompt_tokens + c.usage.completion_tokens, 'usage adds up');
check(typeof c.system_fingerprint === 'string' || c.system_fingerprint === null,
      'system_fingerprint');
check(!JSON.stringify(c).includes('label'), 'no ground truth in the completion');

// withResponse exposes the headers.
const { response: raw } = await client.chat.completions
  .create({ model, messages: [{ role: 'user', content: question }] })
  .withResponse();
check(raw.headers.get('x-request-id')?.startsWith('req_'), 'x-request-id header');

// Streaming.
const stream = await client.chat.completions.create({
  model,
  messages: [{ role: 'user', content: question }],
  stream: true,
  stream_options: { include_usage: true },
});
let text = '';
let chunks = 0;
let finish = null;
let usage = null;
let badObjects = 0;
for await (const chunk of stream) {
  chunks++;
  if (chunk.object !== 'chat.completion.chunk' || chunk.id !== undefined && !chunk.id.startsWith('chatcmpl-')) badObjects++;
  if (chunk.choices.length) {
    text += chunk.choices[0].delta.content ?? '';
    finish = chunk.choices[0].finish_reason ?? finish;
  }
  if (chunk.usage) usage = chunk.usage;
}
check(badObjects === 0, 'every chunk is a chat.completion.chunk');
check(chunks > 3 && text.length > 0, `stream: ${chunks} chunks, "${text.slice(0, 50)}..."`);
check(finish === 'stop' || finish === 'length', `stream finish_reason ${finish}`);
check(usage && usage.completion_tokens > 0, 'stream usage chunk');

// The stream helper of the SDK agrees.
const runner = client.chat.completions.stream({ model, messages: [{ role: 'user', content: question }] });
const final = await runner.finalChatCompletion();
check(final.choices[0].message.content.length > 0, 'chat.completions.stream finalChatCompletion');

// Errors the SDK maps to its classes.
const bad = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${base}/v1`, maxRetries: 0 });
await expectError(bad.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }),
                  OpenAI.AuthenticationError, 401, 'bad API key');
await expectError(client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
                  OpenAI.NotFoundError, 404, 'unknown model');
const e400 = await expectError(client.chat.completions.create({ model, messages: [] }),
                               OpenAI.BadRequestError, 400, 'empty messages');
check(e400.param === 'messages' && e400.code === 'empty_array', 'error param and code');
const asTrainee = new OpenAI({ apiKey: trainee, baseURL: `${base}/admin`, maxRetries: 0 });
await expectError(asTrainee.get('/faults'), OpenAI.PermissionDeniedError, 403,
                  'trainee token on /admin');

// Trainee API with the trainee token.
const st = await admin('GET', '/v1/drill/status', undefined, trainee);
check(st.status === 200 && st.json.drill.now_s >= 0, 'trainee status');
const act = await admin('POST', '/v1/drill/actions', { do: 'note', arg: 'sdk test was here' }, trainee);
check(act.status === 202 && act.json.seq > 0, 'trainee action accepted');

// A 429 under an injected rate limit: the SDK raises RateLimitError with the headers.
const inj = await admin('POST', '/admin/faults',
                        { id: 'sdk-429', kind: 'rate_limit_errors', params: { rpm: 1 } });
check(inj.status === 201, `inject rate_limit_errors (index ${inj.json && inj.json.index})`);
let rle = null;
for (let i = 0; i < 40 && !rle; i++) {
  try {
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: question }] });
  } catch (e) {
    if (e instanceof OpenAI.RateLimitError) rle = e;
    else throw e;
  }
}
check(rle && rle.status === 429, 'RateLimitError under the injected limit');
check(rle.headers.get('retry-after') === '1', 'Retry-After header');
check(Number(rle.headers.get('x-ratelimit-limit-requests')) >= 1, 'x-ratelimit-limit-requests');
check(rle.headers.get('x-ratelimit-remaining-requests') === '0', 'x-ratelimit-remaining-requests');
check(rle.code === 'rate_limit_exceeded', `429 code ${rle.code}`);
// A streaming request under the limit fails before the stream starts.
await expectError(client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: question }] }),
                  OpenAI.RateLimitError, 429, 'stream under the limit');
const clr = await admin('DELETE', `/admin/faults/${inj.json.index}`);
check(clr.status === 200, 'clear the injected fault');
const after = await client.chat.completions.create({ model, messages: [{ role: 'user', content: question }] });
check(after.choices[0].message.content.length > 0, 'served again once cleared');

console.log('sdk: all checks passed');
