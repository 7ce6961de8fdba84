import { useLocation, useSearch } from 'wouter';
import { Page } from '../../components/page';
import { SearchForm } from './search-form';
import { searchFromAddress, searchToAddress } from './search-query';
import { SearchResults } from './search-results';

/**
 * `/contacts`: an account's contacts by id, tag, attribute, opt-in topic, window and opt-out. The
 * search lives in the page's address, so the browser's back button returns to the results.
 */
export const ContactSearchPage = () => {
  const address = useSearch();
  const [, navigate] = useLocation();
  const search = searchFromAddress(address);
  return (
    <Page title="Contacts">
      <SearchForm key={address} initial={search} onSearch={(next) => navigate(`/contacts?${searchToAddress(next)}`)} />
      <SearchResults search={search} />
    </Page>
  );
};
