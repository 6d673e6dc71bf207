package report

import "github.com/onus-gxp/onus/model"

// JSON renders the canonical bundle of the assessment and its audit trail:
// the exchange format Onus itself imports. Text is kept exactly; the
// catalog is not needed.
func JSON(in Input) ([]byte, error) {
	return model.NewBundle(in.Assessment, in.Trail).Encode()
}
