#!/usr/bin/env bash
# Builds a small Debian 13 (trixie) Vagrant box for the libvirt provider, because no box can
# be downloaded on the machines this project is tested on. Test-only: the product's
# Vagrantfile names debian/trixie64, which a learner downloads from Vagrant Cloud.
#
#   bash test/vm/build-box.sh OUT.box [EXTRA_CA_DIR]
#
# The box has what a Vagrant base box needs and nothing of nslab's: systemd, a DHCP client
# on eth0 (net.ifnames=0, like Debian's own boxes), openssh-server, sudo, rsync, the
# `vagrant` user with passwordless sudo and Vagrant's insecure public key, linux-image-amd64
# and GRUB on a 20 GiB (sparse) MBR disk. Certificates in EXTRA_CA_DIR (*.crt) are trusted
# too: this machine's egress proxy re-signs TLS, and the guest fetches npm packages.
# Runs as root. Loop mounts happen in a private mount namespace, so nothing leaks on error.
set -euo pipefail

out=${1:?usage: build-box.sh OUT.box [EXTRA_CA_DIR]}
extra_ca_dir=${2:-}
mirror=${NSLAB_VM_BOX_MIRROR:-http://deb.debian.org/debian}
suite=trixie
disk_gib=20

say() { printf 'build-box: %s\n' "$*" >&2; }

insecure_pub=""
for candidate in /usr/share/rubygems-integration/all/gems/vagrant-*/keys/vagrant.pub /opt/vagrant/embedded/gems/gems/vagrant-*/keys/vagrant.pub; do
  [ -r "$candidate" ] && insecure_pub=$candidate && break
done
[ -n "$insecure_pub" ] || { say "Vagrant's insecure public key (keys/vagrant.pub) not found"; exit 1; }

work=$(mktemp -d /var/tmp/nslab-box.XXXXXX)
loopdev=""
cleanup() {
  # debootstrap mounts /proc and /sys in the target: unmount before deleting anything.
  local m
  for m in $(findmnt -rn -o TARGET | grep "^$work/" | sort -r); do umount -l "$m" 2>/dev/null || true; done
  if [ -n "$loopdev" ]; then
    partx -d "$loopdev" 2>/dev/null || true
    losetup -d "$loopdev" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

root="$work/rootfs"
say "debootstrap $suite from $mirror"
debootstrap --variant=minbase \
  --include=systemd-sysv,udev,kmod,dbus,iproute2,ifupdown,isc-dhcp-client,netbase,openssh-server,sudo,rsync,ca-certificates,linux-image-amd64,grub-pc,initramfs-tools,procps,less \
  "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}

say "configuring the guest"
echo debian-13 >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tdebian-13\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb ${mirror%/debian}/debian-security $suite-security main
EOF
cat >"$root/etc/network/interfaces" <<'EOF'
source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback

allow-hotplug eth0
iface eth0 inet dhcp
EOF
# Vagrant's shell provisioner and ssh sessions: no reverse DNS lookups to wait for.
mkdir -p "$root/etc/ssh/sshd_config.d"
echo 'UseDNS no' >"$root/etc/ssh/sshd_config.d/vagrant.conf"
cat >"$root/etc/default/grub" <<'EOF'
GRUB_DEFAULT=0
GRUB_TIMEOUT=0
GRUB_DISTRIBUTOR=Debian
GRUB_CMDLINE_LINUX_DEFAULT=""
GRUB_CMDLINE_LINUX="net.ifnames=0 biosdevname=0 console=tty0 console=ttyS0,115200n8"
GRUB_TERMINAL="console serial"
GRUB_SERIAL_COMMAND="serial --speed=115200"
EOF
if [ -n "$extra_ca_dir" ] && compgen -G "$extra_ca_dir/*.crt" >/dev/null; then
  cp "$extra_ca_dir"/*.crt "$root/usr/local/share/ca-certificates/"
fi
chroot "$root" update-ca-certificates >/dev/null 2>&1

chroot "$root" useradd --create-home --shell /bin/bash vagrant
echo 'vagrant:vagrant' | chroot "$root" chpasswd
echo 'vagrant ALL=(ALL) NOPASSWD: ALL' >"$root/etc/sudoers.d/vagrant"
chmod 0440 "$root/etc/sudoers.d/vagrant"
install -d -m 0700 -o 1000 -g 1000 "$root/home/vagrant/.ssh"
install -m 0600 -o 1000 -g 1000 "$insecure_pub" "$root/home/vagrant/.ssh/authorized_keys"
chroot "$root" systemctl enable ssh >/dev/null 2>&1 || true
# Host keys are made on first boot, so every VM made from the box has its own.
rm -f "$root"/etc/ssh/ssh_host_*
cat >"$root/etc/systemd/system/ssh-host-keys.service" <<'EOF'
[Unit]
Description=Generate SSH host keys
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=multi-user.target
EOF
chroot "$root" systemctl enable ssh-host-keys >/dev/null 2>&1
: >"$root/etc/machine-id"
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*

say "making a ${disk_gib} GiB disk"
disk="$work/disk.raw"
truncate -s "${disk_gib}G" "$disk"
echo 'start=2048, type=83, bootable' | sfdisk --quiet "$disk"
loopdev=$(losetup --find --show "$disk")
# This kernel does not read MBR partition tables of loop devices by itself.
partx -a "$loopdev" 2>/dev/null || true
part="${loopdev}p1"
for _ in $(seq 1 20); do [ -b "$part" ] && break; sleep 0.2; done
[ -b "$part" ] || { say "partition device $part did not appear"; exit 1; }
mkfs.ext4 -q -L root "$part"
uuid=$(blkid -s UUID -o value "$part")
echo "UUID=$uuid / ext4 errors=remount-ro 0 1" >"$root/etc/fstab"

unshare -m --propagation private bash -euo pipefail -c '
  root=$1 part=$2 loopdev=$3 uuid=$4 mnt=$5
  mkdir -p "$mnt"
  mount "$part" "$mnt"
  tar -C "$root" -cf - . | tar -C "$mnt" -xpf -
  for d in dev proc sys; do mount --rbind "/$d" "$mnt/$d"; done
  chroot "$mnt" grub-install --target=i386-pc --no-floppy "$loopdev" >/dev/null 2>&1
  chroot "$mnt" grub-mkconfig -o /boot/grub/grub.cfg >/dev/null 2>&1
  # Without udev there is no /dev/disk/by-uuid here, so grub-mkconfig named the loop device.
  sed -i -E "s#root=/dev/loop[0-9]+p1#root=UUID=$uuid#g" "$mnt/boot/grub/grub.cfg"
  grep -q "root=UUID=$uuid" "$mnt/boot/grub/grub.cfg" || { echo "build-box: grub.cfg has no root=UUID" >&2; exit 1; }
  umount -R "$mnt"
' build-box "$root" "$part" "$loopdev" "$uuid" "$work/mnt"
partx -d "$loopdev" 2>/dev/null || true
losetup -d "$loopdev"
loopdev=""

say "qcow2 and box"
mkdir -p "$work/box"
qemu-img convert -O qcow2 "$disk" "$work/box/box.img"
rm -f "$disk"
printf '{"provider":"libvirt","format":"qcow2","virtual_size":%d}\n' "$disk_gib" >"$work/box/metadata.json"
cat >"$work/box/Vagrantfile" <<'EOF'
Vagrant.configure("2") do |config|
  config.vm.provider "libvirt" do |lv|
    lv.disk_bus = "virtio"
  end
end
EOF
mkdir -p "$(dirname "$out")"
tar -C "$work/box" -cf "$out.tmp" metadata.json Vagrantfile box.img
mv "$out.tmp" "$out"
say "wrote $out ($(du -h "$out" | cut -f1))"
