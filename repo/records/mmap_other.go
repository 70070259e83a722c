//go:build !linux && !darwin

package records

import "os"

func mapFile(path string) ([]byte, func(), error) {
	data, err := os.ReadFile(path)
	return data, nil, err
}
