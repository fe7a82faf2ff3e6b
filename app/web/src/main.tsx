import { StrictMode, type Dispatch } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import type { Action } from './state.ts';
import './index.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// Outside production builds only (see vite.config.ts): lets end-to-end tests feed frames through the
// real reducer, e.g. ?seed-messages=10000. In production `__TEST_HOOKS__` is false and this is removed.
const onDispatch = __TEST_HOOKS__
  ? (dispatch: Dispatch<Action>) => void import('./test-hooks.ts').then((hooks) => hooks.installTestHooks(dispatch))
  : undefined;

createRoot(root).render(
  <StrictMode>
    <App onDispatch={onDispatch} />
  </StrictMode>,
);
