package diagnose

import "agglo/internal/i18n"

// AgreementName is the user-visible name of an agreement status between a
// computed label and the paper's (Agree, Disagree, NotAssessable,
// NotStated, ComputedOnly); an unknown status is returned as it is.
func AgreementName(status string) i18n.Text {
	switch status {
	case Agree:
		return i18n.T("与论文一致", "agrees with the paper")
	case Disagree:
		return i18n.T("与论文不一致", "differs from the paper")
	case NotAssessable:
		return i18n.T("数据无法判断", "not assessable from the data")
	case NotStated:
		return i18n.T("论文未给出", "not stated in the paper")
	case ComputedOnly:
		return i18n.T("仅数据显示", "shown by the data only")
	}
	return i18n.T(status, status)
}

// ResolutionName names the spatial unit of an assessment
// (ResolutionProvince, ResolutionCity).
func ResolutionName(res string) i18n.Text {
	switch res {
	case ResolutionProvince:
		return i18n.T("省级数据", "province data")
	case ResolutionCity:
		return i18n.T("城市数据", "city data")
	case ResolutionMixed:
		return i18n.T("城市与省级数据", "city and province data")
	}
	return i18n.T(res, res)
}
