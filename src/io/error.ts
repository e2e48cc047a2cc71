/** An error tied to one input: the file, and where known the line and field. */
export class IngestError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
    readonly field?: string,
  ) {
    super(message);
    this.name = "IngestError";
  }

  /** "file:line: field: message" */
  describe(): string {
    const where = this.line !== undefined ? `${this.file}:${this.line}` : this.file;
    return this.field ? `${where}: field '${this.field}': ${this.message}` : `${where}: ${this.message}`;
  }
}
