// Command line of run.mjs: a small subset of `k6 run`'s flags.
export const USAGE = `usage: run.mjs <script.js> [--vus N] [--duration 10s] [--iterations N]
                  [--graceful-stop 5s] [-e NAME=VALUE ...]`;

export function parseArgs(argv) {
  const args = { env: {} };
  const rest = [...argv];
  while (rest.length > 0) {
    const arg = rest.shift();
    const value = () => {
      if (rest.length === 0) throw new Error(`${arg} needs a value`);
      return rest.shift();
    };
    switch (arg) {
      case '--vus': case '-u': args.vus = positiveInt(arg, value()); break;
      case '--duration': case '-d': args.duration = value(); break;
      case '--iterations': case '-i': args.iterations = positiveInt(arg, value()); break;
      case '--graceful-stop': args.gracefulStop = value(); break;
      case '--env': case '-e': {
        const pair = value();
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new Error(`-e expects NAME=VALUE, got ${pair}`);
        args.env[pair.slice(0, eq)] = pair.slice(eq + 1);
        break;
      }
      case '--help': case '-h': args.help = true; break;
      default:
        if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
        if (args.script) throw new Error(`only one script, got ${args.script} and ${arg}`);
        args.script = arg;
    }
  }
  if (!args.help && !args.script) throw new Error('no script given');
  return args;
}

function positiveInt(name, text) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${text}`);
  return n;
}
