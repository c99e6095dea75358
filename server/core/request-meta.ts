/** Who made a request and from where; carried into audit rows and logs. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const SYSTEM_META: RequestMeta = { ip: null, userAgent: "system", requestId: null };

/** Who an audit row names as acting; the system for jobs and callbacks. */
export interface Actor {
  userId: string | null;
  email: string | null;
  /** set while a platform admin acts as the member */
  impersonatorUserId?: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null, email: "system" };

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
