import type { TeamStatus } from '../../src-shared/ipc/contract';
import type { MainContext } from './context';
import type { AreaHandlers, Router } from '../ipc/router';

export function teamStatus(ctx: MainContext): TeamStatus {
  const s = ctx.team.status();
  const config = ctx.team.getConfig();
  const me = ctx.teamViews.agents().find((a) => a.me);
  return {
    configured: s.configured,
    state: s.state,
    offlineSince: s.offlineSince,
    message: s.message ?? ctx.team.passphraseError,
    lastSyncAt: s.lastSyncAt,
    pending: s.pending,
    waitingForPassphrase: s.waitingForPassphrase,
    rejected: s.rejected,
    lastRejected: s.lastRejected,
    unlocked: s.unlocked,
    // Teammates know this console by its login (the author PostgreSQL writes), once connected.
    agentId: ctx.team.worker.login ?? ctx.sync.agentId(),
    // The name the owner gave this login, else the one typed here (until connected).
    agentName: me?.name ?? config?.agentName ?? null,
    url: config?.url ?? null,
    tlsMode: config?.tlsMode ?? 'disable',
    caFile: config?.caFile ?? null,
    otherTeam: ctx.team.otherTeam?.message ?? null,
    owner: s.state === 'connected' && ctx.team.isOwner,
  };
}

export function teamHandlers(ctx: MainContext): AreaHandlers<'team'> {
  return {
    status: async () => teamStatus(ctx),
    configure: async (input) => {
      await ctx.team.configure(input);
      ctx.bus.emit('changed', { topics: ['team'] });
      return teamStatus(ctx);
    },
    setPassphrase: async ({ passphrase }) => {
      await ctx.team.setPassphrase(passphrase);
      return teamStatus(ctx);
    },
    leave: async () => {
      await ctx.team.leave();
      ctx.bus.emit('changed', { topics: ['team'] });
      return teamStatus(ctx);
    },
    reconnect: async () => {
      ctx.team.worker.retryNow();
      ctx.team.worker.wake();
      return teamStatus(ctx);
    },
    confirmOtherTeam: async () => {
      ctx.team.confirmOtherTeam();
      return teamStatus(ctx);
    },
    agents: async () => ctx.teamViews.agents(),
    ownerAgents: async () => ctx.team.owner.agents(),
    addAgent: async ({ name }) => ctx.team.owner.addAgent(name),
    removeAgent: async ({ role }) => ctx.team.owner.removeAgent(role),
    rotateKey: async ({ newPassphrase }) => ctx.team.owner.rotateKey(newPassphrase),
    storeActivity: async () => ctx.teamViews.storeActivity(),
    storeHistory: async ({ storeId }) => ctx.teamViews.storeHistory(storeId),
    teammatesOutbox: async () => ctx.teamViews.teammatesOutbox(),
  };
}

export function registerTeamHandlers(router: Router, ctx: MainContext): void {
  router.registerArea('team', teamHandlers(ctx));
}
