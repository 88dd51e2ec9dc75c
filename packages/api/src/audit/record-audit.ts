export { type AuditActor, type AuditEntry, recordAudit } from "@stratum/db/audit";
