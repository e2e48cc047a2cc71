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

/**
 * A problem with a value found where the file is not known (a tool call's arguments, a JSON
 * string inside a field); whoever reads the file turns it into an `IngestError` naming the file.
 */
export class InputProblem extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "InputProblem";
  }
}
