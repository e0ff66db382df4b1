import type { Me } from '../api';
import { AdminTokenCard } from '../components/project/AdminTokenCard';
import { ProjectsCard } from '../components/project/ProjectsCard';
import { RenameProject } from '../components/project/RenameProject';
import { WriteKeysCard } from '../components/project/WriteKeysCard';
import { ErrorState, Spinner } from '../components/States';
import { useTitle } from '../lib/router';

/** Keys and projects: the current project's write keys and admin token; for the server admin, every project. */
export function ProjectPage({ me, error, onRetry, onSwitch }: { me?: Me; error?: Error; onRetry: () => void; onSwitch: (id: string) => void }) {
  useTitle('Project');
  if (error) return <div className="page"><ErrorState error={error} onRetry={onRetry} /></div>;
  if (!me) return <div className="page"><Spinner /></div>;
  return (
    <div className="page project-page">
      <header className="page-head">
        <div>
          <RenameProject id={me.project} name={me.projectName} onRenamed={onRetry} />
          <p className="muted">
            Project <code>{me.project}</code>
            {me.serverAdmin ? ' · you are the server admin' : ' · project admin'}
          </p>
        </div>
      </header>
      <WriteKeysCard />
      <AdminTokenCard projectId={me.project} />
      {/* keyed by the name: a rename shows in its list too */}
      {me.serverAdmin && <ProjectsCard key={me.projectName} current={me.project} onSwitch={onSwitch} />}
    </div>
  );
}
