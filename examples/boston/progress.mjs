// Training progress: on a terminal, one bar redrawn in place (epoch, loss, lr, time left)
// and left on screen, finished, at the end; otherwise (a pipe, a log, a test) `lines`
// plain lines per run.

const BAR = 24;
const seconds = (ms) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

/** Progress of `total` epochs, written to `stream`; `label` starts each line. */
export function progress(total, { label = "", lines = 10, stream = process.stdout } = {}) {
  const tty = Boolean(stream.isTTY);
  const every = lines > 0 ? Math.max(1, Math.ceil(total / lines)) : Infinity;
  const start = performance.now();
  let drawn = -Infinity, fields = "", epochsDone = 0;
  const draw = (tail) => {
    const filled = Math.round((BAR * epochsDone) / total);
    const line = `${label}[${"█".repeat(filled)}${"·".repeat(BAR - filled)}] ${fields}  ${tail}`;
    // Cut to the terminal's width: a wrapped line could not be redrawn in place.
    stream.write(`\r\x1b[2K${stream.columns ? line.slice(0, stream.columns - 1) : line}`);
  };
  return {
    /** After epoch `epoch` (1-based) with its training `loss` and the current `lr`. */
    update(epoch, { loss, lr }) {
      epochsDone = epoch;
      fields = `epoch ${String(epoch).padStart(String(total).length)}/${total}  loss ${loss.toFixed(3).padStart(8)}  lr ${lr.toExponential(2)}`;
      if (!tty) {
        if (lines > 0 && (epoch === 1 || epoch % every === 0)) stream.write(`${label}${fields}\n`);
        return;
      }
      const now = performance.now();
      if (now - drawn < 50) return; // about 20 redraws a second are plenty
      drawn = now;
      draw(`${seconds(((now - start) / epoch) * (total - epoch))} left`);
    },
    /** Ends the run (on a terminal, the bar stays with the time taken); returns the milliseconds. */
    done() {
      const ms = performance.now() - start;
      if (tty) {
        draw(`${seconds(ms)}`);
        stream.write("\n");
      }
      return ms;
    },
  };
}
