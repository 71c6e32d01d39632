// The actions the audit log records (shared by the server and the audit page's filter).
export const AUDIT_ACTIONS = [
  "export.responses",
  "export.codebook",
  "import.responses",
  "exclude.response",
  "exclude.session",
  "restore.response",
  "restore.session",
  "survey.publish",
  "membership.set",
  "membership.remove",
  "user.role",
  "user.deactivate",
  "user.reactivate",
  "user.admin",
  "user.password",
  "token.create",
  "token.revoke",
  "programme.min_cell_size",
  "link.quota_lift",
  "link.arm",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
