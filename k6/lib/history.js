// After a conversation, the history API is the journal's truth: every seq it holds must have
// reached the socket with the same frame id, and nothing may have reached the socket that it lacks.
import { check } from 'k6';
import http from 'k6/http';
import { metrics } from './metrics.js';

const PAGE_LIMIT = 1000; // the API's largest page

/** Reads the whole retained thread; null when the API cannot be read. */
export function fetchHistory(settings, thread, token) {
  const frames = [];
  let after = 0;
  let head = 0;
  let epoch = null;
  for (let page = 0; page < 1000; page++) {
    const url = settings.httpUrl + '/api/threads/' + encodeURIComponent(thread) + '/frames?after=' + after + '&limit=' + PAGE_LIMIT;
    const res = http.get(url, { headers: { Authorization: 'Bearer ' + token }, tags: { name: 'history' } });
    if (res.status !== 200) {
      console.warn('history ' + thread + ': HTTP ' + res.status + ' ' + (res.error || res.body));
      return null;
    }
    const body = res.json();
    head = body.head;
    epoch = body.epoch;
    for (let i = 0; i < body.frames.length; i++) frames.push(body.frames[i]);
    if (body.frames.length === 0 || body.frames[body.frames.length - 1].seq >= head) break;
    after = body.frames[body.frames.length - 1].seq;
  }
  return { head: head, epoch: epoch, frames: frames };
}

/** Compares the socket's stream with the history; records lost/mismatched frames and one check. */
export function reconcile(stream, history) {
  let lost = 0;
  let mismatched = 0;
  const inHistory = {};
  for (let i = 0; i < history.frames.length; i++) {
    const f = history.frames[i];
    inHistory[f.seq] = true;
    const seenId = stream.ids[f.seq];
    if (seenId === undefined) { if (!stream.missing[f.seq]) lost++; } // gaps were counted when they opened
    else if (seenId !== f.id) mismatched++;
  }
  const oldest = history.frames.length > 0 ? history.frames[0].seq : history.head + 1;
  // A token frame seen live may since have been compacted out of the history: not a mismatch.
  for (const seq in stream.ids) if (Number(seq) >= oldest && !inHistory[seq] && !stream.tokens[seq]) mismatched++;
  if (history.epoch !== stream.epoch) mismatched++;
  if (lost > 0) metrics.framesLost.add(lost, { source: 'history' });
  if (mismatched > 0) metrics.framesMismatched.add(mismatched);
  check(history, { 'history matches the socket': function () { return lost === 0 && mismatched === 0; } });
  if (lost > 0 || mismatched > 0) {
    console.warn('history ' + stream.thread + ': ' + lost + ' frames never delivered, ' + mismatched + ' mismatched (head ' + history.head + ', cursor ' + stream.last + ')');
  }
}
