import { writeFile } from 'node:fs/promises';

/** Writes command output to a file or stdout; the CLI's only place that prints results. */
export async function emit(text: string, outputFile?: string): Promise<void> {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (outputFile) {
    await writeFile(outputFile, body);
    return;
  }
  await new Promise<void>((resolve, reject) => process.stdout.write(body, (e) => (e ? reject(e) : resolve())));
}

/** Progress and diagnostics go to stderr so stdout stays machine-readable. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
