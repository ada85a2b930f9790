/* SPDX-License-Identifier: GPL-2.0 */
/* A driver whose buffers are allocated in one file and mapped in another. */
#ifndef FD_H
#define FD_H

#include <linux/dma-mapping.h>
#include <linux/usb.h>

struct fd_dev {
	struct device *dev;
	struct usb_device *udev;
	void *buf;
	u8 *rx;
	dma_addr_t buf_dma;
};

/* Another struct type with a field of the same name; its buffer is kmalloc'ed. */
struct fd_chan {
	void *buf;
	dma_addr_t buf_dma;
};

extern u8 *fd_log;

int fd_alloc(struct fd_dev *fd);
int fd_alloc_chan(struct fd_chan *ch);
void fd_start(struct fd_dev *fd, struct fd_chan *ch);
int fd_submit(struct fd_dev *fd, void *data, int len);
void *fd_get_rx(struct fd_dev *fd);

#endif
