// docker-bench-security's section 5 checks that do not apply to the profile playground, each
// with why: they look at what no playground profile can set (ports, restart policy, the
// engine's own settings, the audit log), or docker-bench asks a person to judge them.

/** [id, docker-bench's title, why it does not apply here] */
export const NOT_APPLICABLE: readonly (readonly [string, string, string])[] = [
  [
    '5.1',
    'Ensure swarm mode is not Enabled, if not needed',
    'An engine setting, not a container one: nothing a profile chooses.',
  ],
  [
    '5.2',
    'Ensure that, if applicable, an AppArmor Profile is enabled',
    'The playground offers no AppArmor choice, and this kind of host may have no AppArmor at all: the lsm lab detects it.',
  ],
  [
    '5.3',
    'Ensure that, if applicable, SELinux security options are set',
    'The playground offers no SELinux option; the lsm lab shows what this host enforces.',
  ],
  [
    '5.7',
    'Ensure sshd is not run within containers',
    'The container runs nslab’s fixed command (an init and sleep), never sshd.',
  ],
  [
    '5.8',
    'Ensure privileged ports are not mapped within containers',
    'The playground publishes no port.',
  ],
  [
    '5.9',
    'Ensure that only needed ports are open on the container',
    'The playground publishes no port (docker-bench asks a person to judge this one).',
  ],
  [
    '5.14',
    'Ensure that incoming container traffic is bound to a specific host interface',
    'The playground publishes no port, so nothing listens on a host interface.',
  ],
  [
    '5.15',
    "Ensure that the 'on-failure' container restart policy is set to '5'",
    'nslab never restarts a learner’s container: the session removes it.',
  ],
  [
    '5.19',
    'Ensure that the default ulimit is overwritten at runtime if needed',
    'The playground sets no ulimit; its pids limit bounds processes instead (docker-bench asks a person).',
  ],
  [
    '5.20',
    'Ensure mount propagation mode is not set to shared',
    'The playground mounts nothing from the host, so there is no propagation to choose.',
  ],
  [
    '5.23',
    'Ensure that docker exec commands are not used with the privileged option',
    'About exec calls in the engine’s audit log: nslab’s terminal and probes never exec with --privileged.',
  ],
  [
    '5.24',
    'Ensure that docker exec commands are not used with the user=root option',
    'About exec calls in the audit log (docker-bench asks a person): nslab’s terminal runs as the profile’s user.',
  ],
  [
    '5.27',
    'Ensure that container health is checked at runtime',
    'The playground’s container runs a shell for you, not a service with a health check.',
  ],
  [
    '5.28',
    'Ensure that Docker commands always make use of the latest version of their image',
    'The image is nslab’s own, built on this machine (docker-bench asks a person).',
  ],
  [
    '5.30',
    "Ensure that Docker's default bridge 'docker0' is not used",
    'The playground’s container has no network or the host’s, never docker0 (docker-bench asks a person).',
  ],
];
