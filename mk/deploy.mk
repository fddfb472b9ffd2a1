# SPDX-License-Identifier: GPL-2.0
# make check-deploy (issue 15): camfence on a Debian 12 router that boots with
# systemd.  Builds (cached in .cache/deploy/) a bookworm image with the
# project's .deb packages installed by apt (DKMS builds the module for the
# image's kernel), boots it under QEMU (TCG) with its own kernel and
# initramfs, and asserts the boot order, the policy, reload/restart/module
# reload/reboot, the Ansible role and package removal from inside the guest.
# See tests/sysboot/run.sh and docs/testing.md.
#
#   make check-deploy                          build what is not cached, boot, test
#   make check-deploy DEPLOY_ARGS=--rebuild    rebuild the base root and the image
#   make check-deploy DEPLOY_ARGS=--keep       keep the guest's disk overlay and logs

.PHONY: check-deploy
check-deploy:
	$(KENV) tests/vm/deps.sh
	tests/sysboot/run.sh $(DEPLOY_ARGS)
