/** Who made a request and from where; carried into audit rows and logs. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const SYSTEM_META: RequestMeta = { ip: null, userAgent: "system", requestId: null };

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
