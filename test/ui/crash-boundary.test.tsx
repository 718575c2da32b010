import { afterEach, describe, expect, it } from 'vitest';
import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { CrashBoundary } from '../../src/ui/components/CrashBoundary.js';

afterEach(() => cleanup());

function Thrower({ fail }: { fail: boolean }) {
  if (fail) throw new Error('boom \x1b]2;pwned\x07 at render');
  return <Text>fine</Text>;
}

describe('CrashBoundary', () => {
  it('hands a render error to onError once and draws nothing of it (no raw message, no stack)', () => {
    const errors: unknown[] = [];
    const ui = render(
      <CrashBoundary onError={(e) => errors.push(e)}>
        <Thrower fail={false} />
      </CrashBoundary>,
    );
    expect(ui.lastFrame()).toBe('fine');
    ui.rerender(
      <CrashBoundary onError={(e) => errors.push(e)}>
        <Thrower fail={true} />
      </CrashBoundary>,
    );
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toContain('boom');
    const drawn = ui.frames.join('\n');
    expect(drawn).not.toContain('boom');
    expect(drawn).not.toContain('pwned');
    expect(drawn).not.toMatch(/\bat \w+ \(/); // no stack trace
  });
});
