//go:build !linux

package main

// preferHugePages is the Linux path's stand-in elsewhere: nothing to do.
func preferHugePages(int) {}
