/** The last `maxLines` lines seen, for error messages and the test result; memory stays bounded. */
export class OutputTail {
  private readonly lines: string[] = [];

  constructor(private readonly maxLines: number) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }

  text(lastLines = this.maxLines): string {
    return this.lines.slice(-lastLines).join("\n");
  }
}
