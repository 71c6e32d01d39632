// Who is asking: the identity every scoped query takes.
export interface Viewer {
  id: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
}
