// The one gate between a learner's playground request and Docker. Docker's security docs
// warn that a web server which creates containers must check its parameters so a malicious
// user cannot create arbitrary containers: every field here is checked against an allowlist
// (playground-types.ts), anything else is refused with a 400 that names the field, and only
// the vetted value this returns goes on to be planned. Pure: no engine, no session.
import { AppError } from '../errors/app-error.ts';
import { message, type MessageTemplate, type ServerMessage } from '../errors/server-message.ts';
import { NOT_AN_OBJECT } from '../http/body-fields.ts';
import {
  ADDABLE_CAPABILITIES,
  DROPPABLE_CAPABILITIES,
  PLAYGROUND_FIELDS,
  PLAYGROUND_LIMITS,
  PLAYGROUND_USERS,
  SECCOMP_DEFAULT,
  SECCOMP_UNCONFINED,
  SHAREABLE_NAMESPACES,
  SOLO_ONLY,
  type PlaygroundRequest,
} from '../protocol/playground-types.ts';

export interface PlaygroundPolicy {
  mode: 'solo' | 'workshop';
  /** The lab's own seccomp profiles, by file name (LabDefinition.playground). */
  seccompProfiles: readonly string[];
}

// Each refusal names the field (`params.field`, stable for clients) and says why in both
// languages; the option names and flags inside stay as Docker spells them.
const NO_HOST_PATH = message(
  'pg_no_host_path',
  'Field "{{field}}" is not allowed: the playground never mounts a host path into the container.',
  '字段 "{{field}}" 不允许：练习场从不把主机路径挂载进容器。',
);
const NO_VOLUME = message(
  'pg_no_volume',
  'Field "{{field}}" is not allowed: the playground never mounts a host path or volume into the container.',
  '字段 "{{field}}" 不允许：练习场从不把主机路径或卷挂载进容器。',
);
const FIXED_COMMAND = message(
  'pg_fixed_command',
  'Field "{{field}}" is not allowed: the container runs nslab’s fixed command; you type yours in its terminal.',
  '字段 "{{field}}" 不允许：容器运行 nslab 固定的命令；你的命令请在它的终端里输入。',
);

/** Fields people try first, refused with the reason rather than only "unexpected". */
const NEVER: Record<string, MessageTemplate<'field'>> = {
  image: message(
    'pg_no_image',
    'Field "{{field}}" is not allowed: the playground runs nslab’s own lab image, never one a request names.',
    '字段 "{{field}}" 不允许：练习场只运行 nslab 自己的实验镜像，从不运行请求里指定的镜像。',
  ),
  bind: NO_HOST_PATH,
  binds: NO_HOST_PATH,
  volume: NO_VOLUME,
  volumes: NO_VOLUME,
  mount: NO_HOST_PATH,
  mounts: NO_HOST_PATH,
  device: message(
    'pg_no_device',
    'Field "{{field}}" is not allowed: the playground passes no host device into the container.',
    '字段 "{{field}}" 不允许：练习场不把任何主机设备传进容器。',
  ),
  privileged: message(
    'pg_no_privileged',
    'Field "{{field}}" is not allowed: --privileged switches off every isolation this lab is about (recommendation 5); it is never offered.',
    '字段 "{{field}}" 不允许：--privileged 会关掉这个实验讲的所有隔离（第 5 条建议）；它从不提供。',
  ),
  cmd: FIXED_COMMAND,
  command: FIXED_COMMAND,
  entrypoint: FIXED_COMMAND,
  env: message(
    'pg_no_env',
    'Field "{{field}}" is not allowed: the container’s environment is nslab’s own.',
    '字段 "{{field}}" 不允许：容器的环境变量由 nslab 决定。',
  ),
  sysctls: message(
    'pg_no_sysctls',
    'Field "{{field}}" is not allowed: sysctls are not among the playground’s options.',
    '字段 "{{field}}" 不允许：sysctls 不在练习场的选项之内。',
  ),
  securityopt: message(
    'pg_no_securityopt',
    'Field "{{field}}" is not allowed: choose seccomp and no-new-privileges with their own fields.',
    '字段 "{{field}}" 不允许：请用各自的字段选择 seccomp 和 no-new-privileges。',
  ),
  hostconfig: message(
    'pg_no_hostconfig',
    'Field "{{field}}" is not allowed: name each option by its own field; raw engine options are never accepted.',
    '字段 "{{field}}" 不允许：请用各自的字段指定每个选项；从不接受原始的引擎选项。',
  ),
};
const M = {
  notOption: message(
    'pg_not_option',
    'Field "{{field}}" is not a playground option (the options are {{options}}).',
    '字段 "{{field}}" 不是练习场的选项（选项有 {{options}}）。',
  ),
  required: message(
    'pg_required',
    'Field "{{field}}" is required.',
    '缺少必需的字段 "{{field}}"。',
  ),
  oneOf: message(
    'pg_one_of',
    'Field "{{field}}" must be one of {{allowed}}.',
    '字段 "{{field}}" 必须是 {{allowed}} 之一。',
  ),
  list: message('pg_list', 'Field "{{field}}" must be a list.', '字段 "{{field}}" 必须是列表。'),
  tooMany: message(
    'pg_too_many',
    'Field "{{field}}" lists more entries than there are options.',
    '字段 "{{field}}" 列出的条目比可选项还多。',
  ),
  twice: message(
    'pg_twice',
    'Field "{{field}}" names {{name}} twice.',
    '字段 "{{field}}" 把 {{name}} 列了两次。',
  ),
  flag: message(
    'pg_flag',
    'Field "{{field}}" must be true or false.',
    '字段 "{{field}}" 必须是 true 或 false。',
  ),
  number: message(
    'pg_number',
    'Field "{{field}}" must be a number from {{min}} to {{max}}.',
    '字段 "{{field}}" 必须是 {{min}} 到 {{max}} 之间的数字。',
  ),
  range: message(
    'pg_range',
    'Field "{{field}}" must be from {{min}} to {{max}}.',
    '字段 "{{field}}" 必须在 {{min}} 到 {{max}} 之间。',
  ),
  step: message(
    'pg_step',
    'Field "{{field}}" must be a multiple of {{step}}.',
    '字段 "{{field}}" 必须是 {{step}} 的整数倍。',
  ),
  allAndMore: message(
    'pg_all_and_more',
    'Field "{{field}}" names ALL and more: ALL already drops every capability.',
    '字段 "{{field}}" 除了 ALL 还列了别的：ALL 已经丢弃了所有能力。',
  ),
  addAndDrop: message(
    'pg_add_and_drop',
    'Field "{{field}}" adds {{caps}}, which capDrop drops: choose one of the two.',
    '字段 "{{field}}" 添加了 {{caps}}，而 capDrop 又丢弃了它：请二选一。',
  ),
  soloShare: message(
    'pg_solo_share',
    'Field "{{field}}" asks for the host\'s {{namespaces}} namespace: that is escape-prone and allowed only in solo mode, where the VM is yours alone.',
    '字段 "{{field}}" 要求共享主机的 {{namespaces}} 命名空间：这容易导致逃逸，只在单人模式下允许，那里的虚拟机只属于你。',
  ),
  soloCap: message(
    'pg_solo_cap',
    'Field "{{field}}" adds {{caps}}: that is escape-prone and allowed only in solo mode, where the VM is yours alone.',
    '字段 "{{field}}" 添加了 {{caps}}：这容易导致逃逸，只在单人模式下允许，那里的虚拟机只属于你。',
  ),
  soloSeccomp: message(
    'pg_solo_seccomp',
    'Field "{{field}}" asks for no seccomp filter at all: that is escape-prone and allowed only in solo mode, where the VM is yours alone.',
    '字段 "{{field}}" 要求完全不用 seccomp 过滤：这容易导致逃逸，只在单人模式下允许，那里的虚拟机只属于你。',
  ),
};

type Params = Readonly<Record<string, string | number>>;

function bad<P extends string>(
  field: string,
  why: MessageTemplate<P>,
  params?: Readonly<Record<Exclude<P, 'field'>, string | number>>,
): AppError {
  const make = why as unknown as (params: Params) => ServerMessage;
  return new AppError('bad_request', make({ ...params, field }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw bad(field, M.oneOf, { allowed: allowed.join(', ') });
  return value as T;
}

/** A list of distinct allowed names (at most the whole allowlist, so no huge arrays). */
function listOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T[] {
  if (!Array.isArray(value)) throw bad(field, M.list);
  if (value.length > allowed.length) throw bad(field, M.tooMany);
  const out: T[] = [];
  for (const item of value as unknown[]) {
    const name = oneOf(field, item, allowed);
    if (out.includes(name)) throw bad(field, M.twice, { name });
    out.push(name);
  }
  return out;
}

function flag(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw bad(field, M.flag);
  return value;
}

function limit(field: keyof typeof PLAYGROUND_LIMITS, value: unknown): number {
  const { min, max, step } = PLAYGROUND_LIMITS[field];
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw bad(field, M.number, { min, max });
  if (value < min || value > max) throw bad(field, M.range, { min, max });
  // Whole steps only: 0.1000001 CPUs is no choice a learner makes.
  const steps = value / step;
  if (Math.abs(steps - Math.round(steps)) > 1e-9) throw bad(field, M.step, { step });
  return value;
}

/** Every field, each against its allowlist; an unknown or missing field is refused. */
function fields(body: unknown, policy: PlaygroundPolicy): PlaygroundRequest {
  if (!isRecord(body)) throw new AppError('bad_request', NOT_AN_OBJECT());
  for (const key of Object.keys(body)) {
    if ((PLAYGROUND_FIELDS as readonly string[]).includes(key)) continue;
    const never = NEVER[key.toLowerCase()];
    if (never !== undefined) throw bad(key, never);
    throw bad(key, M.notOption, { options: PLAYGROUND_FIELDS.join(', ') });
  }
  for (const key of PLAYGROUND_FIELDS) if (!(key in body)) throw bad(key, M.required);
  return {
    share: listOf('share', body.share, SHAREABLE_NAMESPACES),
    capDrop: listOf('capDrop', body.capDrop, DROPPABLE_CAPABILITIES),
    capAdd: listOf('capAdd', body.capAdd, ADDABLE_CAPABILITIES),
    readOnly: flag('readOnly', body.readOnly),
    noNewPrivileges: flag('noNewPrivileges', body.noNewPrivileges),
    seccomp: oneOf('seccomp', body.seccomp, [
      SECCOMP_DEFAULT,
      SECCOMP_UNCONFINED,
      ...policy.seccompProfiles,
    ]),
    user: oneOf('user', body.user, PLAYGROUND_USERS),
    memoryMb: limit('memoryMb', body.memoryMb),
    pidsLimit: limit('pidsLimit', body.pidsLimit),
    cpus: limit('cpus', body.cpus),
  };
}

/** Combinations Docker would take but that say two things at once. */
function coherent(profile: PlaygroundRequest): void {
  if (profile.capDrop.includes('ALL') && profile.capDrop.length > 1)
    throw bad('capDrop', M.allAndMore);
  const both = profile.capAdd.filter((cap) => (profile.capDrop as string[]).includes(cap));
  if (both.length > 0) throw bad('capAdd', M.addAndDrop, { caps: both.join(', ') });
}

/** A workshop shares one machine between learners: what reaches the host stays solo-only. */
function allowedInMode(profile: PlaygroundRequest, mode: PlaygroundPolicy['mode']): void {
  if (mode === 'solo') return;
  const shared = profile.share.filter((ns) => (SOLO_ONLY.share as readonly string[]).includes(ns));
  if (shared.length > 0) throw bad('share', M.soloShare, { namespaces: shared.join(', ') });
  const added = profile.capAdd.filter((c) => (SOLO_ONLY.capAdd as readonly string[]).includes(c));
  if (added.length > 0) throw bad('capAdd', M.soloCap, { caps: added.join(', ') });
  if ((SOLO_ONLY.seccomp as readonly string[]).includes(profile.seccomp))
    throw bad('seccomp', M.soloSeccomp);
}

/** The vetted profile, or an AppError('bad_request') that names the first field refused. */
export function parsePlaygroundProfile(body: unknown, policy: PlaygroundPolicy): PlaygroundRequest {
  const profile = fields(body, policy);
  coherent(profile);
  allowedInMode(profile, policy.mode);
  return profile;
}
