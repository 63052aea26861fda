/** In team mode: a filter by agent ("me" or a teammate). Hidden when the console works alone. */
import { useTeam } from '../../state/team';

export function AgentFilter(props: { value: string | undefined; onChange: (agent: string) => void; testId?: string }): React.JSX.Element | null {
  const teamOn = useTeam((s) => s.status?.configured === true);
  const agents = useTeam((s) => s.agents);
  if (!teamOn) return null;
  return (
    <select value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value)} aria-label="Agent" data-testid={props.testId ?? 'filter-agent'}>
      <option value="">All agents</option>
      <option value="me">Me</option>
      {agents
        .filter((a) => !a.me)
        .map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
    </select>
  );
}

/** The agent's name for a row's agent id (null: this console's own). */
export function useAgentName(agentId: string | null): string | null {
  const agents = useTeam((s) => s.agents);
  if (agentId === null) return null;
  return agents.find((a) => a.id === agentId)?.name ?? 'a teammate';
}
