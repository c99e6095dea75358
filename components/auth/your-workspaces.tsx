import { AuthCard } from "@/components/layout/auth-card";
import { PublicHeader } from "@/components/layout/public-header";

interface WorkspaceLink {
  name: string;
  slug: string;
  signInUrl: string;
}

/** The apex sign-in page for a signed-in user who is not platform staff: their workspaces' own sign-in links. */
export function YourWorkspacesPage({
  title,
  subtitle,
  empty,
  workspaces,
}: {
  title: string;
  subtitle: string;
  empty: string;
  workspaces: WorkspaceLink[];
}) {
  return (
    <AuthCard header={<PublicHeader />} title={title} subtitle={subtitle}>
      {workspaces.length === 0 ? (
        <p className="text-sm text-slate-700">{empty}</p>
      ) : (
        <ul className="space-y-2" data-testid="your-workspaces">
          {workspaces.map((w) => (
            <li key={w.slug}>
              <a
                href={w.signInUrl}
                className="flex min-h-11 items-center justify-between rounded-lg border border-slate-200 px-4 py-2 text-teal-800 hover:bg-slate-50"
              >
                <span className="font-medium">{w.name}</span>
                <span aria-hidden="true">→</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </AuthCard>
  );
}
