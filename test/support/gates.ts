/**
 * Gates the held fields wait on: `arrived(gate)` resolves once the subgraph is waiting on it, `open(gate)` lets it
 * answer.
 */
export class Gates {
  private readonly gates = new Map<
    string,
    { arrived: Promise<void>; markArrived(): void; opened: Promise<void>; open(): void }
  >();
  private get(name: string) {
    let gate = this.gates.get(name);
    if (!gate) {
      let markArrived!: () => void;
      let open!: () => void;
      const arrived = new Promise<void>((resolve) => (markArrived = resolve));
      const opened = new Promise<void>((resolve) => (open = resolve));
      gate = { arrived, markArrived, opened, open };
      this.gates.set(name, gate);
    }
    return gate;
  }
  async wait(name: string): Promise<void> {
    const gate = this.get(name);
    gate.markArrived();
    await gate.opened;
  }
  arrived(name: string): Promise<void> {
    return this.get(name).arrived;
  }
  open(...names: string[]): void {
    for (const n of names) this.get(n).open();
  }
}
