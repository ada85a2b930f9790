// SPDX-License-Identifier: GPL-2.0
/* A submit helper called from the other files: the sink is here, the stack buffer there. */
#include "fd.h"

int fd_submit(struct fd_dev *fd, void *data, int len)
{
	int actual;

	return usb_bulk_msg(fd->udev, usb_sndbulkpipe(fd->udev, 1), data, len, &actual, 100); // expect: stack-dma
}
