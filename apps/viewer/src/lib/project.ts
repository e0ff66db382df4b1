// The project a server admin is looking at. The client sends it as X-Hindsight-Project; it is
// remembered in localStorage so a reload stays on it. Project admins never set it: their
// credential decides their project, and naming another one would be refused (403).
import { client } from '../api';

const STORAGE_KEY = 'hs_project';

export function restoreProject(): void {
  try {
    client.setProject(localStorage.getItem(STORAGE_KEY) || undefined);
  } catch {
    /* storage blocked: stay on the credential's own project */
  }
}

/** undefined = the credential's own project (`default` for the server admin) */
export function chooseProject(id: string | undefined): void {
  client.setProject(id);
  try {
    if (id) localStorage.setItem(STORAGE_KEY, id);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* the choice then lasts until a reload */
  }
}
