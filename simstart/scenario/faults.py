"""The named places where a scenario (or the TUI's what-if) can make the start path fail.

Each site names the Go code that fails there and a realistic error text to use when the
scenario gives none. The error then travels the real error path: wrapping, the exit-code
rules, the deferred cleanup and the status from keywords.
"""

from __future__ import annotations

from typing import NamedTuple


class Site(NamedTuple):
    """A fault site: where it is, what it models, and example errors it can raise."""

    name: str
    stage: str
    where: str
    errors: tuple[str, ...]


SITES: dict[str, Site] = {s.name: s for s in (
    Site("overlay2.stat", "mount", "overlay2 Driver.Get: os.Stat of the layer directory",
         ("stat /var/lib/docker/overlay2/<mount-id>: no such file or directory",)),
    Site("overlay2.mount", "mount", "overlay2 Driver.Get: mount(2) of the overlay",
         ("no such device", "invalid argument", "too many levels of symbolic links")),
    Site("ipam.request_address", "network", "IPAM RequestAddress for the endpoint",
         ("no available IPv4 addresses on this network's address pools: bridge (<id>)",
          "Address already in use")),
    Site("bridge.create_veth", "network", "bridge CreateEndpoint: creating the veth pair",
         ("operation not supported", "file exists")),
    Site("portallocator.request_port", "network", "PortAllocator.RequestPortInRange",
         ("Bind for 0.0.0.0:8080 failed: port is already allocated", "all ports are allocated")),
    Site("proxy.start", "network", "docker-proxy start (it binds the host port)",
         ("Error starting userland proxy: listen tcp 0.0.0.0:8080: bind: address already in use",
          "Timed out proxy starting the userland proxy")),
    Site("oci.set_user", "spec", "createSpec → setUser: looking the user up in the image",
         ("unable to find user app: no matching entries in passwd file",)),
    Site("ipc.mount_shm", "spec", "setupIpcDirs: mounting the shm tmpfs",
         ("no space left on device", "permission denied")),
    Site("apparmor.parse", "start", "saveApparmorConfig → parseSecurityOpt (its error is "
         "discarded by containerStart)", ("invalid --security-opt 2: \"apparmor\"",)),
    Site("logdriver.start", "runtime", "InitializeStdio → StartLogger",
         ("dial tcp 10.0.0.5:514: getsockopt: connection refused",
          "fluentd: dial tcp 127.0.0.1:24224: getsockopt: connection refused")),
    Site("containerd.create_container", "runtime", "the CreateContainer gRPC call",
         ("containerd: container not started",
          "containerd: container did not start before the specified timeout",
          "shim error: open /dev/ptmx: no such file or directory")),
    Site("runc.create", "runtime", "runc create (the error lands in log.json)",
         ("process_linux.go:359: container init caused \"rootfs_linux.go:57: mounting "
          "\\\"/srv/app.conf\\\" to rootfs caused \\\"not a directory\\\"\"",
          "exec: \"/app/start.sh\": permission denied")),
    Site("hook.setkey", "runtime", "prestart hook libnetwork-setkey: SetExternalKey dials "
         "the daemon's socket", ("connect: connection refused",
                                 "connect: no such file or directory")),
    Site("netlink.add_interface", "runtime", "SetKey → populateNetworkResources → AddInterface",
         ("invalid argument",)),
    Site("netlink.set_gateway", "runtime", "SetKey → populateNetworkResources → updateGateway "
         "→ SetGateway", ("file exists", "network is unreachable")),
    Site("runc.start", "runtime", "docker-runc start <id>",
         ("cannot start a container that has stopped",)),
)}
