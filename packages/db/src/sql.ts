/** The small SQL surface the migration runner, health checks and LISTEN/NOTIFY need. */
export interface SqlSession {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of one or more statements with the simple query protocol. */
  exec(script: string): Promise<void>;
}

export interface SqlRunner {
  /** Runs `fn` on one dedicated connection, so session-level locks and transactions hold. */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Subscribes to NOTIFY on `channel`; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
}
