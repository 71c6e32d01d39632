// Home: the programmes the signed-in person belongs to (all of them for administrators).
import { Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireViewer } from "~/auth.server";
import { listProgrammes } from "~/models/programmes.server";

export const meta: MetaFunction = () => [{ title: "Programmes · Safety perception surveys" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context);
  return { programmes: await listProgrammes(context.db, viewer), isAdmin: viewer.isAdmin };
}

export default function Home() {
  const { programmes, isAdmin } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Programmes</h1>
      <p className="lede">How safe people feel, programme by programme.</p>
      {programmes.length === 0 ? (
        <div className="card">
          <p>You are not a member of any programme yet.</p>
          {isAdmin ? (
            <p>
              <Link to="/admin" className="button primary">
                Create a programme
              </Link>
            </p>
          ) : (
            <p className="muted">Ask an administrator to add you to the programme you work on.</p>
          )}
        </div>
      ) : (
        <div className="grid">
          {programmes.map((p) => (
            <Link key={p.id} to={`/programmes/${p.id}`} className="card programme-card">
              <h2>{p.name}</h2>
              <p className="muted">{p.country || "No country set"}</p>
              <p>
                {p.communityCount} {p.communityCount === 1 ? "community" : "communities"}{" "}
                {p.role ? <span className="tag">{p.role}</span> : <span className="tag warn">administrator</span>}
              </p>
            </Link>
          ))}
        </div>
      )}
    </>
  );
}
