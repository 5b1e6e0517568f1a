// k6/encoding: base64 in the four k6 flavours (std, rawstd, url, rawurl).
const toBuffer = (input) => (input instanceof ArrayBuffer ? Buffer.from(input) : Buffer.from(String(input), 'utf8'));

export function b64encode(input, encoding = 'std') {
  const std = toBuffer(input).toString('base64');
  switch (encoding) {
    case 'std': return std;
    case 'rawstd': return std.replace(/=+$/, '');
    case 'url': return std.replace(/\+/g, '-').replace(/\//g, '_');
    case 'rawurl': return std.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    default: throw new Error(`unsupported encoding: ${encoding}`);
  }
}

export function b64decode(input, encoding = 'std', format) {
  const normal = String(input).replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Buffer.from(normal, 'base64');
  return format === 's' ? bytes.toString('utf8') : new Uint8Array(bytes).buffer;
}

export default { b64encode, b64decode };
