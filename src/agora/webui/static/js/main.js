// The app: routes to pages, the frame around them, and the session and inbox behind them.
import { html, render, useEffect } from './lib/html.js';
import { useStore } from './lib/store.js';
import { matchRoute, route } from './lib/router.js';
import { session, startSession } from './lib/session.js';
import { startInbox, stopInbox } from './lib/notifications.js';
import { Loading } from './ui/common.js';
import { SkipLink, Toasts, TopBar } from './ui/layout.js';
import { Login, Signup } from './pages/auth.js';
import { Bookclub } from './pages/bookclub.js';
import { Thread } from './pages/thread.js';
import { Competitions } from './pages/competitions.js';
import { Competition } from './pages/competition.js';
import { Music } from './pages/music.js';
import { Album } from './pages/album.js';
import { Genre } from './pages/genre.js';
import { Timeline } from './pages/timeline.js';
import { UserPage } from './pages/user.js';
import { Sports } from './pages/sports.js';
import { Game } from './pages/game.js';
import { Insights } from './pages/insights.js';
import { Notifications } from './pages/notifications.js';
import { Profile } from './pages/profile.js';
import { NotFound } from './pages/notfound.js';
import { Requests } from './pages/requests.js';

const ROUTES = [
  { path: '/', page: Bookclub },
  { path: '/bookclub', page: Bookclub },
  { path: '/bookclub/threads/:id', page: Thread },
  { path: '/login', page: Login },
  { path: '/signup', page: Signup },
  { path: '/competitions', page: Competitions },
  { path: '/competitions/:id', page: Competition },
  { path: '/music', page: Music },
  { path: '/music/albums/:id', page: Album },
  { path: '/music/genres/:genre', page: Genre },
  { path: '/timeline', page: Timeline },
  { path: '/users/:id', page: UserPage },
  { path: '/sports', page: Sports },
  { path: '/sports/games/:id', page: Game },
  { path: '/insights', page: Insights },
  { path: '/notifications', page: Notifications },
  { path: '/profile', page: Profile },
  { path: '/admin/requests', page: Requests },
];

function App() {
  const current = useStore(route);
  const { status, user } = useStore(session);
  const userId = user?.user_id;

  useEffect(() => {
    if (userId) startInbox();
    else stopInbox();
  }, [userId]);

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [current.path]);

  const found = matchRoute(ROUTES, current.path);
  const Page = found ? found.entry.page : NotFound;
  return html`
    <${SkipLink} />
    <${TopBar} />
    <main id="main" class="page" tabindex="-1">
      ${status === 'loading'
        ? html`<${Loading} />`
        : html`<${Page} key=${current.path} params=${found ? found.params : {}} query=${current.query} />`}
    </main>
    <${Toasts} />
  `;
}

// index.html paints an app shell (the same top bar, a loading line) before this script runs; the
// app takes its place.
const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
startSession();
