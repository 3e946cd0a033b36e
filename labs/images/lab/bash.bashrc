# /etc/bash.bashrc for nslab lab containers: read by every interactive bash
# (and by login shells through /etc/profile).

# Not interactive: do nothing.
[ -z "${PS1-}" ] && return

shopt -s checkwinsize histappend
HISTCONTROL=ignoredups:ignorespace

PS1='\[\e[1;32m\]\u@\h\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]\$ '

if [ -x /usr/bin/dircolors ]; then
  eval "$(dircolors -b)"
fi
alias ls='ls --color=auto'
alias ll='ls -l'
alias la='ls -A'
alias grep='grep --color=auto'
alias ip='ip -color=auto'

if ! shopt -oq posix && [ -f /usr/share/bash-completion/bash_completion ]; then
  . /usr/share/bash-completion/bash_completion
fi
