import { Link, Route, Router, Switch, useLocation } from 'wouter';
import { AREAS } from './pages/areas';

const NotFound = () => (
  <section className="page">
    <h1>Not found</h1>
    <p>
      No page here. <Link href="/">Back to the overview</Link>.
    </p>
  </section>
);

const Nav = () => {
  const [location] = useLocation();
  const current = (path: string) => (path === '/' ? location === '/' : location === path || location.startsWith(`${path}/`));
  return (
    <nav aria-label="Main">
      <span className="brand">afterchat</span>
      <ul>
        {AREAS.map((area) => (
          <li key={area.path}>
            <Link href={area.path} aria-current={current(area.path) ? 'page' : undefined}>
              {area.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
};

/** The console: a navigation bar and one area's page, under /console/. */
export const App = () => (
  <Router base="/console">
    <a className="skip" href="#main">
      Skip to content
    </a>
    <Nav />
    <main id="main">
      <Switch>
        {AREAS.flatMap((area) => area.routes.map((route) => <Route key={route.path} path={route.path} component={route.component} />))}
        <Route component={NotFound} />
      </Switch>
    </main>
  </Router>
);
