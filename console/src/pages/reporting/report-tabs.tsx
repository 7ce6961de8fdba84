import { Link, useLocation } from 'wouter';

const TABS = [
  { path: '/reports', label: 'Responsiveness' },
  { path: '/reports/spend', label: 'Errors and spend' },
];

/** The two reports, as links (a reload or a shared link opens the same one). */
export const ReportTabs = () => {
  const [location] = useLocation();
  return (
    <nav aria-label="Reports" className="tabs">
      {TABS.map((tab) => (
        <Link key={tab.path} href={tab.path} aria-current={location === tab.path ? 'page' : undefined}>
          {tab.label}
        </Link>
      ))}
    </nav>
  );
};
