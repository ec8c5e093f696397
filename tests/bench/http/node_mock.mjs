// node_mock.mjs - the smallest honest Node.js peer for tests/bench/bench_http.sh:
// node:http answering POST /v1/chat/completions with a fixed chat.completion
// (the same shape and about the same size as firedrill's), after reading and
// parsing the JSON body; with "stream": true, the same answer as
// chat.completion.chunk Server-Sent Events ending with data: [DONE].
//   node node_mock.mjs PORT
import http from 'node:http';

const port = Number(process.argv[2] || 18082);
const text = "Reset sso contact: your company's IT administrator. [security-reset-password]";
const base = {
  id: 'chatcmpl-node-1',
  created: 1796032376,
  model: 'nw-large',
  system_fingerprint: 'fp_7c1e9a',
};
const completion = JSON.stringify({
  ...base,
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null },
              logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 490, completion_tokens: 97, total_tokens: 587 },
});
const chunk = (delta, finish) => 'data: ' + JSON.stringify({
  ...base,
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
}) + '\n\n';
const pieces = text.split(/(?= )/);

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}');
    return;
  }
  let data = '';
  req.setEncoding('utf8');
  req.on('data', (c) => { data += c; });
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(data);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"bad json","type":"invalid_request_error","param":null,"code":null}}');
      return;
    }
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8',
                           'cache-control': 'no-cache' });
      res.write(chunk({ role: 'assistant', content: '', refusal: null }, null));
      for (const p of pieces) res.write(chunk({ content: p }, null));
      res.write(chunk({}, 'stop'));
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json',
                         'content-length': Buffer.byteLength(completion) });
    res.end(completion);
  });
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1', () => console.log(`node mock listening on ${port}`));
