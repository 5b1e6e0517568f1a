// Compile-only check of the declarations (tsc --noEmit): typical usage compiles, misuse does not.
import { RelayClient, RelayError, closePolicy, foldReplies, foldReplyFrame, type Frame, type ConnectionState, type StateDetail, type FoldedReply } from '../../relay-client.js';
import { useRelayThread, releaseRelayThread } from '../../use-relay-thread.js';

const client = new RelayClient({
  url: 'ws://localhost:8080/ws',
  getToken: async ({ reason }) => (reason === 'unauthorized' ? 'fresh' : 'cached'),
  backoffCapMs: 16000,
  storage: null,
});

const onFrame = (frame: Frame): void => {
  const text: string | undefined = frame.data.text;
  const seq: number = frame.seq;
  void text;
  void seq;
};
const off: () => void = client.on('frame', onFrame);
client.off('frame', onFrame);
off();
client.on('state', (state: ConnectionState, detail: StateDetail) => {
  if (state === 'reconnecting') console.log(`in ${Math.ceil((detail.delay ?? 0) / 1000)} s`);
});
client.on('reset', ({ thread, epoch, frames }) => console.log(thread, epoch.length, frames.length));
client.on('error', (error: RelayError) => console.log(error.code, error.ref));
client.on('error', (error) => { const refused: string | undefined = error.thread; void refused; });
client.on('compacted', ({ thread, from, to }) => console.log(thread, to - from + 1));

async function flow(): Promise<void> {
  const { epoch, head } = await client.subscribe('thread-1');
  await client.subscribe('thread-2', { after: 0 });
  const { id, seq } = await client.send('thread-1', 'hello');
  client.cancel('thread-1', id);
  const cursor: { epoch: string | null; seq: number } = client.cursor('thread-1');
  const page = await client.history('thread-1', { upTo: cursor.seq });
  console.log(epoch, head, seq, page.frames.length, closePolicy(4401));
  client.close();
}
void flow;

function Component(): null {
  const { frames, state, send, cancel, error } = useRelayThread(client, 'thread-1', { onFrame: (f) => f.seq });
  void frames.map((f) => f.seq);
  void state;
  void send('hi');
  cancel('id');
  void error?.message;
  releaseRelayThread(client, 'thread-1');
  return null;
}
void Component;

// @ts-expect-error unknown event name
client.on('frames', () => {});
// @ts-expect-error state handlers receive a state string, not a frame
client.on('state', (frame: Frame) => frame);
// @ts-expect-error after must be a number
void client.subscribe('t', { after: '3' });
// @ts-expect-error send needs a text
void client.send('t');

// Folding replies: the text after the last restart.
function shown(frames: Frame[]): string[] {
  const replies: Map<string, FoldedReply> = foldReplies(frames);
  const one: FoldedReply = foldReplyFrame(undefined, frames[0]);
  const attempt: number | undefined = frames[0].data.attempt;
  void one;
  void attempt;
  return [...replies.values()].map((r) => (r.error ? r.error.code : r.text));
}
void shown;
