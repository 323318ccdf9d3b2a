"""Every route dockerd v17.05.0-ce registers, in the order ``createMux`` registers them.

The routers in ``initRouter``'s order (cmd/dockerd/daemon.go L480-494), each router's routes in
the order of its ``initRoutes`` (api/server/router/*/). Each route is registered twice
(api/server/server.go L174-175): under ``/v{version:[0-9.]+}`` and bare. A route listed here
that simstart does not model is still matched, so that what is not modelled is said so, rather
than answered with the 404 a path unknown to dockerd gets.
"""

from __future__ import annotations

ROUTES: tuple[tuple[str, str], ...] = (
    ("GET", "/containers/{name:.*}/checkpoints"),  # checkpoint/checkpoint.go
    ("POST", "/containers/{name:.*}/checkpoints"),  # checkpoint/checkpoint.go
    ("DELETE", "/containers/{name}/checkpoints/{checkpoint}"),  # checkpoint/checkpoint.go
    ("HEAD", "/containers/{name:.*}/archive"),  # container/container.go
    ("GET", "/containers/json"),  # container/container.go
    ("GET", "/containers/{name:.*}/export"),  # container/container.go
    ("GET", "/containers/{name:.*}/changes"),  # container/container.go
    ("GET", "/containers/{name:.*}/json"),  # container/container.go
    ("GET", "/containers/{name:.*}/top"),  # container/container.go
    ("GET", "/containers/{name:.*}/logs"),  # container/container.go
    ("GET", "/containers/{name:.*}/stats"),  # container/container.go
    ("GET", "/containers/{name:.*}/attach/ws"),  # container/container.go
    ("GET", "/exec/{id:.*}/json"),  # container/container.go
    ("GET", "/containers/{name:.*}/archive"),  # container/container.go
    ("POST", "/containers/create"),  # container/container.go
    ("POST", "/containers/{name:.*}/kill"),  # container/container.go
    ("POST", "/containers/{name:.*}/pause"),  # container/container.go
    ("POST", "/containers/{name:.*}/unpause"),  # container/container.go
    ("POST", "/containers/{name:.*}/restart"),  # container/container.go
    ("POST", "/containers/{name:.*}/start"),  # container/container.go
    ("POST", "/containers/{name:.*}/stop"),  # container/container.go
    ("POST", "/containers/{name:.*}/wait"),  # container/container.go
    ("POST", "/containers/{name:.*}/resize"),  # container/container.go
    ("POST", "/containers/{name:.*}/attach"),  # container/container.go
    ("POST", "/containers/{name:.*}/copy"),  # container/container.go
    ("POST", "/containers/{name:.*}/exec"),  # container/container.go
    ("POST", "/exec/{name:.*}/start"),  # container/container.go
    ("POST", "/exec/{name:.*}/resize"),  # container/container.go
    ("POST", "/containers/{name:.*}/rename"),  # container/container.go
    ("POST", "/containers/{name:.*}/update"),  # container/container.go
    ("POST", "/containers/prune"),  # container/container.go
    ("PUT", "/containers/{name:.*}/archive"),  # container/container.go
    ("DELETE", "/containers/{name:.*}"),  # container/container.go
    ("GET", "/images/json"),  # image/image.go
    ("GET", "/images/search"),  # image/image.go
    ("GET", "/images/get"),  # image/image.go
    ("GET", "/images/{name:.*}/get"),  # image/image.go
    ("GET", "/images/{name:.*}/history"),  # image/image.go
    ("GET", "/images/{name:.*}/json"),  # image/image.go
    ("POST", "/commit"),  # image/image.go
    ("POST", "/images/load"),  # image/image.go
    ("POST", "/images/create"),  # image/image.go
    ("POST", "/images/{name:.*}/push"),  # image/image.go
    ("POST", "/images/{name:.*}/tag"),  # image/image.go
    ("POST", "/images/prune"),  # image/image.go
    ("DELETE", "/images/{name:.*}"),  # image/image.go
    ("OPTIONS", "/{anyroute:.*}"),  # system/system.go
    ("GET", "/_ping"),  # system/system.go
    ("GET", "/events"),  # system/system.go
    ("GET", "/info"),  # system/system.go
    ("GET", "/version"),  # system/system.go
    ("GET", "/system/df"),  # system/system.go
    ("POST", "/auth"),  # system/system.go
    ("GET", "/volumes"),  # volume/volume.go
    ("GET", "/volumes/{name:.*}"),  # volume/volume.go
    ("POST", "/volumes/create"),  # volume/volume.go
    ("POST", "/volumes/prune"),  # volume/volume.go
    ("DELETE", "/volumes/{name:.*}"),  # volume/volume.go
    ("POST", "/build"),  # build/build.go
    ("POST", "/swarm/init"),  # swarm/cluster.go
    ("POST", "/swarm/join"),  # swarm/cluster.go
    ("POST", "/swarm/leave"),  # swarm/cluster.go
    ("GET", "/swarm"),  # swarm/cluster.go
    ("GET", "/swarm/unlockkey"),  # swarm/cluster.go
    ("POST", "/swarm/update"),  # swarm/cluster.go
    ("POST", "/swarm/unlock"),  # swarm/cluster.go
    ("GET", "/services"),  # swarm/cluster.go
    ("GET", "/services/{id}"),  # swarm/cluster.go
    ("POST", "/services/create"),  # swarm/cluster.go
    ("POST", "/services/{id}/update"),  # swarm/cluster.go
    ("DELETE", "/services/{id}"),  # swarm/cluster.go
    ("GET", "/services/{id}/logs"),  # swarm/cluster.go
    ("GET", "/nodes"),  # swarm/cluster.go
    ("GET", "/nodes/{id}"),  # swarm/cluster.go
    ("DELETE", "/nodes/{id}"),  # swarm/cluster.go
    ("POST", "/nodes/{id}/update"),  # swarm/cluster.go
    ("GET", "/tasks"),  # swarm/cluster.go
    ("GET", "/tasks/{id}"),  # swarm/cluster.go
    ("GET", "/tasks/{id}/logs"),  # swarm/cluster.go
    ("GET", "/secrets"),  # swarm/cluster.go
    ("POST", "/secrets/create"),  # swarm/cluster.go
    ("DELETE", "/secrets/{id}"),  # swarm/cluster.go
    ("GET", "/secrets/{id}"),  # swarm/cluster.go
    ("POST", "/secrets/{id}/update"),  # swarm/cluster.go
    ("GET", "/plugins"),  # plugin/plugin.go
    ("GET", "/plugins/{name:.*}/json"),  # plugin/plugin.go
    ("GET", "/plugins/privileges"),  # plugin/plugin.go
    ("DELETE", "/plugins/{name:.*}"),  # plugin/plugin.go
    ("POST", "/plugins/{name:.*}/enable"),  # plugin/plugin.go
    ("POST", "/plugins/{name:.*}/disable"),  # plugin/plugin.go
    ("POST", "/plugins/pull"),  # plugin/plugin.go
    ("POST", "/plugins/{name:.*}/push"),  # plugin/plugin.go
    ("POST", "/plugins/{name:.*}/upgrade"),  # plugin/plugin.go
    ("POST", "/plugins/{name:.*}/set"),  # plugin/plugin.go
    ("POST", "/plugins/create"),  # plugin/plugin.go
    ("GET", "/networks"),  # network/network.go
    ("GET", "/networks/"),  # network/network.go
    ("GET", "/networks/{id:.+}"),  # network/network.go
    ("POST", "/networks/create"),  # network/network.go
    ("POST", "/networks/{id:.*}/connect"),  # network/network.go
    ("POST", "/networks/{id:.*}/disconnect"),  # network/network.go
    ("POST", "/networks/prune"),  # network/network.go
    ("DELETE", "/networks/{id:.*}"),  # network/network.go
)
