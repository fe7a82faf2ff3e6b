/** Runs the real `promtool` (Debian package `prometheus`); says which package to install when missing. */
import { execFile } from 'node:child_process';

export interface PromtoolResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runPromtool(args: string[], options: { cwd?: string } = {}): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    execFile('promtool', args, { cwd: options.cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error('promtool not found: install the Debian package "prometheus" (apt-get install prometheus)'));
        return;
      }
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
