/**
 * Named errors of the manual pipeline. `permanent` tells the job queue whether another attempt could
 * help (a 404 stays a 404; a reset connection may not happen twice), and the message is written for
 * the person who sees the manual end `failed`, so it says what went wrong in plain words.
 */
export type ManualErrorCode =
  // fetching
  | 'blocked_url'
  | 'blocked_host'
  | 'blocked_address'
  | 'not_found'
  | 'http_error'
  | 'not_pdf'
  | 'too_large'
  | 'too_many_redirects'
  | 'timeout'
  | 'network'
  // extracting
  | 'corrupt_pdf'
  | 'encrypted_pdf'
  | 'no_text'
  | 'extractor_failed'
  // past the bounds for the file's size (./bounds.ts)
  | 'too_many_pages'
  | 'too_much_text'
  | 'too_many_chunks';

export class ManualError extends Error {
  constructor(
    readonly code: ManualErrorCode,
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ManualError';
  }
}

/** The manual could not be downloaded. */
export class ManualFetchError extends ManualError {
  constructor(code: ManualErrorCode, message: string, permanent: boolean, options?: { cause?: unknown }) {
    super(code, message, permanent, options);
    this.name = 'ManualFetchError';
  }
}

/** The file was downloaded but no text could be read from it. */
export class ManualExtractError extends ManualError {
  constructor(code: ManualErrorCode, message: string, permanent: boolean, options?: { cause?: unknown }) {
    super(code, message, permanent, options);
    this.name = 'ManualExtractError';
  }
}
