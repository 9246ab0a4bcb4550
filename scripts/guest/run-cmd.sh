#!/bin/sh
# Run the command that scripts/guest-run packed into /run-cmd, in the shared
# directory (path in /run-share) when there is one.
if [ -s /run-share ]; then
	share=$(cat /run-share)
	mkdir -p "$share"
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 share "$share" || exit 125
	cd "$share" || exit 125
fi
exec sh /run-cmd </dev/null
