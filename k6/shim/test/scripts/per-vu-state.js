// Module state, __VU, __ITER, setup data, custom metrics and submetric thresholds, as k6 has them.
import { check } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import encoding from 'k6/encoding';
import crypto from 'k6/crypto';

const hits = new Counter('hits');
const sizes = new Trend('sizes');
let seenByThisVu = 0; // k6 gives every VU its own module instance

export const options = {
  vus: 3,
  iterations: 9,
  thresholds: { hits: ['count==9'], 'sizes{vu:1}': ['max<=1'], checks: ['rate==1'] },
};

export function setup() {
  return { token: 'from-setup' };
}

export default function (data) {
  seenByThisVu++;
  hits.add(1);
  sizes.add(__VU, { vu: String(__VU) });
  check(data, {
    'setup data arrives': (d) => d.token === 'from-setup',
    'module state is per VU': () => seenByThisVu === __ITER + 1,
    'base64url raw': () => encoding.b64encode('ü?>', 'rawurl') === 'w7w_Pg',
    'hmac hex': () => crypto.hmac('sha256', 'key', 'The quick brown fox jumps over the lazy dog', 'hex')
      === 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
  });
}
