package sign

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// Agent is a connection to the signer's ssh-agent, which signs without
// the private key ever reaching Onus.
type Agent struct {
	conn   io.Closer
	client agent.ExtendedAgent
}

// OpenAgent connects to the ssh-agent listening on socket ($SSH_AUTH_SOCK
// when empty): a Unix-domain socket on this machine, never the network.
func OpenAgent(socket string) (*Agent, error) {
	if socket == "" {
		socket = os.Getenv("SSH_AUTH_SOCK")
	}
	if socket == "" {
		return nil, errors.New("no ssh-agent: SSH_AUTH_SOCK is not set (start one with eval $(ssh-agent) and ssh-add your key, or sign with a key file)")
	}
	conn, err := dialUnix(socket)
	if err != nil {
		return nil, fmt.Errorf("ssh-agent at %s: %w", socket, err)
	}
	return &Agent{conn: conn, client: agent.NewClient(conn)}, nil
}

// Close ends the connection.
func (a *Agent) Close() error { return a.conn.Close() }

// Keys lists the keys the agent holds, for a chooser.
func (a *Agent) Keys() ([]*Key, error) {
	listed, err := a.client.List()
	if err != nil {
		return nil, fmt.Errorf("ssh-agent: %w", err)
	}
	signers, err := a.client.Signers()
	if err != nil {
		return nil, fmt.Errorf("ssh-agent: %w", err)
	}
	keys := make([]*Key, 0, len(signers))
	for _, s := range signers {
		k := &Key{signer: s, source: "ssh-agent"}
		for _, l := range listed {
			if bytes.Equal(l.Blob, s.PublicKey().Marshal()) {
				k.comment = l.Comment
			}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// Key returns the agent's key with this public half (nil: the agent's only
// key).
func (a *Agent) Key(pub ssh.PublicKey) (*Key, error) {
	keys, err := a.Keys()
	if err != nil {
		return nil, err
	}
	if pub == nil {
		switch len(keys) {
		case 0:
			return nil, errors.New("the ssh-agent holds no key (ssh-add adds one)")
		case 1:
			return keys[0], nil
		}
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = k.String()
		}
		return nil, fmt.Errorf("the ssh-agent holds %d keys; name the one to sign with by its public key file:\n  %s", len(keys), strings.Join(names, "\n  "))
	}
	for _, k := range keys {
		if bytes.Equal(k.PublicKey().Marshal(), pub.Marshal()) {
			return k, nil
		}
	}
	return nil, fmt.Errorf("the ssh-agent does not hold key %s (ssh-add it first)", ssh.FingerprintSHA256(pub))
}

// ReadPublicKey reads a public key file (FILE.pub, one authorized_keys
// line), to choose an agent's key.
func ReadPublicKey(path string) (ssh.PublicKey, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pub, _, _, _, err := ssh.ParseAuthorizedKey(raw)
	if err != nil {
		return nil, fmt.Errorf("%s is not a public key file: %w", path, err)
	}
	return pub, nil
}

// AgentKey connects to the ssh-agent at socket ($SSH_AUTH_SOCK when
// empty) and returns its key with public half pub (nil: its only key).
// The key holds the connection until it is closed.
func AgentKey(socket string, pub ssh.PublicKey) (*Key, error) {
	ag, err := OpenAgent(socket)
	if err != nil {
		return nil, err
	}
	key, err := ag.Key(pub)
	if err != nil {
		ag.Close()
		return nil, err
	}
	key.closer = ag
	return key, nil
}
