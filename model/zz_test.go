package model

import (
	"encoding/json"
	"os"
	"testing"
)

func BenchmarkZZ(b *testing.B) {
	data, _ := os.ReadFile("/tmp/catfile/big.json")
	c, _ := decodeCatalogJSON(string(data))
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			decodeCatalogJSON(string(data))
		}
	})
	b.Run("write", func(b *testing.B) {
		for b.Loop() {
			catalogJSON(c)
		}
	})
	b.Run("hash", func(b *testing.B) {
		for b.Loop() {
			c.computeHash()
		}
	})
	b.Run("marshal", func(b *testing.B) {
		for b.Loop() {
			json.Marshal(c)
		}
	})
	b.Run("validate", func(b *testing.B) {
		for b.Loop() {
			c.Validate()
		}
	})
}

func BenchmarkZZv1(b *testing.B) {
	data, _ := os.ReadFile("/tmp/catfile/big.json")
	for b.Loop() {
		decodeJSON(data)
	}
}
