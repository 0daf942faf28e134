/**
 * Waits until `check` holds (a check that throws counts as not yet), looking every 50 ms; fails
 * naming `what` after `ms`. For what another process or a timer does in its own time.
 */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (
    !(await Promise.resolve()
      .then(check)
      .catch(() => false))
  ) {
    if (Date.now() > deadline) throw new Error(`still not ${what} after ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
