export interface HttpVariables {
  requestId: string;
  clientIp: string;
  /** `performance.now()` when the request arrived, for overhead figures that include auth. */
  startedAt: number;
}
