// A fake OpenAI-compatible chat completions server (SSE, as the OpenAI API streams) on a free
// loopback port. Each request is answered by the next plan; a plan streams words one per chunk
// and then ends properly or cuts the connection, as a provider's stream sometimes does.
import http from 'node:http';

/**
 * Start the server. `plans` answer the requests in order (the last one repeats):
 * `{ words: ['Reply#1 ', ...], cut: true|false, delayMs }`.
 * Resolves with `{ baseUrl, bodies, close() }`; `bodies` holds each request's JSON body.
 */
export async function startFakeOpenAi(plans) {
  const bodies = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (piece) => (raw += piece));
    req.on('end', () => {
      bodies.push(JSON.parse(raw));
      const plan = plans[Math.min(bodies.length - 1, plans.length - 1)];
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      streamWords(res, plan, 0);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}/v1`,
    bodies,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

function streamWords(res, plan, i) {
  if (res.destroyed) return;
  if (i < plan.words.length) {
    res.write(event({ content: plan.words[i] }, null));
    setTimeout(() => streamWords(res, plan, i + 1), plan.delayMs);
    return;
  }
  if (plan.cut) {
    res.socket.destroy(); // the stream breaks without finish_reason or [DONE]
    return;
  }
  res.write(event({}, 'stop'));
  res.end('data: [DONE]\n\n');
}

function event(delta, finishReason) {
  const chunk = { object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }] };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}
