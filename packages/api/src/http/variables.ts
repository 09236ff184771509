export interface HttpVariables {
  requestId: string;
  clientIp: string;
}
