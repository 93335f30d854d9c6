/** Who asks for an operator's change, why, and under which request id: what the audit log keeps. */
export interface RepairContext {
  operatorId: number;
  reason: string;
  requestId: string | null;
}
