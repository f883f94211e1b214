"""AHA PREVENT add-on models, 10- and 30-year: + urine albumin-to-creatinine ratio (UACR),
+ HbA1c, and the full model (UACR + HbA1c + Social Deprivation Index).

Build time only (see build_risk_models.py). Source: Khan SS et al., Circulation
2024;149:430-449, Supplemental Table S12 (the add-on panels of the logistic models the AHA
calculator implements). Each add-on model re-estimates every base coefficient, so it is a
model of its own, not the base model plus a term.

Transcriptions and cross-check (done 2026-12-06, every coefficient used here):

* A (typed below): the coefficient tables of the R package preventr (Mayer 2024), which
  reads them from the supplement's Excel file, as transcribed term by term in a public
  JavaScript implementation ("uacr_10yr", "hba1c_10yr", "full_10yr" and the "_30yr"
  tables).
* B (typed separately, in its own order, in tests/test_prevent_addons.py): a public Python
  port of the AHA's own R package AHAprevent (pred_risk_uacr, pred_risk_hba1c,
  pred_risk_full), written as explicit equations with signs.
* Result: all 3 models x 2 horizons x 2 sexes x 3 outcomes (36 rows) agree exactly, constants and missing-value
  terms included (tests/test_prevent_addons.py::test_coefficients_agree_with_a_second_
  transcription fails on any difference). B's equations are also the test oracle.

Missing values. Each add-on model carries missing-value terms ("missing UACR", "missing
HbA1c", "missing SDI"). Here UACR and HbA1c are *required* inputs of the models that use
them (a model is shown only when its inputs are present), so their missing terms are
always 0. The Social Deprivation Index decile needs a US ZIP/ZCTA-to-decile table that no
package registry reachable here ships; none is invented, so SDI is always missing: the full
model adds its "missing SDI" coefficient to the constant (the decile terms are 0). This is
what the paper's model does for a patient without an SDI, and the model card says so.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from build_prevent import (
    COLUMNS,
    TERMS,
    base_term_values,
    logistic_outputs,
    prevent_manifest,
)
from graph_builder import Graph
from risk_parts import _mat, _number, _test_vector, optimal_reference

# Source A's term order (10-year models; the 30-year ones add age squared after age): the
# base terms, the add-on terms, the constant.
A_BASE = ["age", "non_hdl", "hdl", "sbp_below_110", "sbp_from_110", "diabetes", "smoker",
          "bmi_below_30", "bmi_from_30", "egfr_below_60", "egfr_from_60", "bp_treated", "statin",
          "bp_treated_x_sbp", "statin_x_non_hdl", "age_x_non_hdl", "age_x_hdl", "age_x_sbp",
          "age_x_diabetes", "age_x_smoker", "age_x_bmi", "age_x_egfr"]
A_EXTRA = {
    "uacr": ["ln_uacr", "missing_uacr"],
    "hba1c": ["hba1c_diabetes", "hba1c_no_diabetes", "missing_hba1c"],
    "full": ["sdi_4_to_6", "sdi_7_to_10", "missing_sdi", "ln_uacr", "missing_uacr",
             "hba1c_diabetes", "hba1c_no_diabetes", "missing_hba1c"],
}
# fmt: off
# ruff: noqa: E501  (below: one model row per line, as transcription A prints them)
TABLE_A_10Y: dict[str, dict[str, dict[str, list[float]]]] = {
    "uacr": {
        "female": {
            "total_cvd": [0.7969249, 0.0256635, -0.1588107, -0.2255701, 0.3396649, 0.8047515, 0.5285338, 0, 0, 0.4803511, 0.0434472, 0.2985207, -0.1497787, -0.0742889, 0.106756, -0.0778126, 0.0306768, -0.0907168, -0.2705122, -0.0830564, 0, -0.1389249, 0.1793037, 0.0132073, -3.738341],
            "ascvd": [0.7201999, 0.1135771, -0.1493506, -0.0726677, 0.3436259, 0.7773094, 0.4746662, 0, 0, 0.3824646, 0.0394178, 0.2125182, -0.0603046, -0.0466053, 0.0733118, -0.0534262, 0.0325689, -0.0999887, -0.2411762, -0.0826941, 0, -0.1444737, 0.1501217, 0.0050257, -4.174614],
            "heart_failure": [0.9145975, 0, 0, -0.4441346, 0.3260323, 0.9611365, 0.5755787, 0.0008831, 0.2988964, 0.5915291, 0.0556823, 0.3314097, 0, -0.1078596, 0, 0, 0, -0.0875231, -0.356859, -0.1220248, -0.0053637, -0.1610389, 0.2197281, 0.0326667, -4.841506],
        },
        "male": {
            "total_cvd": [0.7768655, 0.0659949, -0.0951111, -0.420667, 0.3120151, 0.698521, 0.4314669, 0, 0, 0.3841364, 0.009384, 0.2676494, -0.1390966, -0.0579315, 0.1383719, -0.0488332, 0.0200406, -0.102454, -0.2236355, -0.089485, 0, -0.1321848, 0.1887974, 0.0916979, -3.510705],
            "ascvd": [0.7141718, 0.1602194, -0.1139086, -0.2719456, 0.3058719, 0.6600631, 0.3884022, 0, 0, 0.2466316, 0.0151852, 0.186167, -0.0894395, -0.0411884, 0.1058212, -0.028089, 0.0240427, -0.0912325, -0.2004894, -0.096936, 0, -0.1022867, 0.1510073, 0.0556, -3.85146],
            "heart_failure": [0.9111795, 0, 0, -0.6693649, 0.3290082, 0.8377655, 0.4978917, -0.042749, 0.3624165, 0.5075796, 0.0137716, 0.2739963, 0, -0.0645712, 0, 0, 0, -0.1230039, -0.3013297, -0.1410318, 0.0021531, -0.1548018, 0.2306299, 0.1472194, -4.556907],
        },
    },
    "hba1c": {
        "female": {
            "total_cvd": [0.7858178, 0.0194438, -0.1521964, -0.2296681, 0.3465777, 0.5366241, 0.5411682, 0, 0, 0.5931898, 0.0472458, 0.3158567, -0.1535174, -0.0687752, 0.1054746, -0.0761119, 0.0307469, -0.0905966, -0.2241857, -0.080186, 0, -0.1667286, 0.1338348, 0.1622409, -0.0142496, -3.306162],
            "ascvd": [0.7111831, 0.106797, -0.1425745, -0.0736824, 0.3480844, 0.5112951, 0.4880292, 0, 0, 0.4754997, 0.0438132, 0.2259093, -0.0648872, -0.0437645, 0.0697082, -0.0506382, 0.0327475, -0.0996442, -0.1924338, -0.0803539, 0, -0.1682586, 0.1339055, 0.1596461, 0.0015678, -3.838746],
            "heart_failure": [0.8997391, 0, 0, -0.4422749, 0.3378691, 0.681284, 0.5886005, -0.0148657, 0.2958374, 0.73447, 0.05926, 0.3543475, 0, -0.1002139, 0, 0, 0, -0.0878765, -0.303684, -0.1178943, -0.008345, -0.1912183, 0.1856442, 0.1833083, -0.0143112, -4.288225],
        },
        "male": {
            "total_cvd": [0.7699177, 0.0605093, -0.0888525, -0.417713, 0.3288657, 0.4759471, 0.4385663, 0, 0, 0.5334616, 0.0206431, 0.2917524, -0.1383313, -0.0482622, 0.1393796, -0.0463501, 0.0205926, -0.1037717, -0.1737697, -0.0915839, 0, -0.1637039, 0.13159, 0.1295185, -0.0128373, -3.040901],
            "ascvd": [0.7064146, 0.1532267, -0.1082166, -0.2675288, 0.3173809, 0.432604, 0.3958842, 0, 0, 0.3665014, 0.0250243, 0.2061158, -0.0899988, -0.0334959, 0.1034168, -0.0255406, 0.0247538, -0.0917441, -0.1499195, -0.098089, 0, -0.1305231, 0.1157161, 0.1288303, -0.0010001, -3.51835],
            "heart_failure": [0.911787, 0, 0, -0.6568071, 0.3524645, 0.5849752, 0.5014014, -0.0512352, 0.365294, 0.6892219, 0.0292377, 0.3038296, 0, -0.0515032, 0, 0, 0, -0.1262343, -0.2449514, -0.1392217, 0.0009592, -0.1917105, 0.1652857, 0.1505859, -0.0113444, -3.961954],
        },
    },
    "full": {
        "female": {
            "total_cvd": [0.7716794, 0.0062109, -0.1547756, -0.1933123, 0.3071217, 0.496753, 0.466605, 0, 0, 0.4780697, 0.0529077, 0.3034892, -0.1556524, -0.0667026, 0.1061825, -0.0742271, 0.0288245, -0.0875188, -0.2267102, -0.0676125, 0, -0.1493231, 0.1361989, 0.2261596, 0.1804508, 0.1645922, 0.0198413, 0.1298513, 0.1412555, -0.0031658, -3.860385],
            "ascvd": [0.7023067, 0.0898765, -0.1407316, -0.0256648, 0.314511, 0.4799217, 0.4062049, 0, 0, 0.3847744, 0.0495174, 0.2133861, -0.0678552, -0.0451416, 0.0788187, -0.0535985, 0.0291762, -0.0961839, -0.2001466, -0.0586472, 0, -0.1537791, 0.1413965, 0.228136, 0.1588908, 0.1371824, 0.0061613, 0.123192, 0.1410572, 0.005866, -4.291503],
            "heart_failure": [0.884209, 0, 0, -0.421474, 0.3002919, 0.6170359, 0.5380269, -0.0191335, 0.2764302, 0.5975847, 0.0654197, 0.3313614, 0, -0.1002304, 0, 0, 0, -0.0845363, -0.2989062, -0.1111354, 0.0008104, -0.1666635, 0.1213034, 0.2314147, 0.1819138, 0.1948135, 0.0395368, 0.176668, 0.1614911, -0.0010583, -4.896524],
        },
        "male": {
            "total_cvd": [0.7847578, 0.0534485, -0.0911282, -0.4921973, 0.2972415, 0.4527054, 0.3726641, 0, 0, 0.3886854, 0.0081661, 0.2508052, -0.1538484, -0.0474695, 0.1415382, -0.0436455, 0.0199549, -0.1022686, -0.1762507, -0.0715873, 0, -0.1428668, 0.0802431, 0.275073, 0.144759, 0.1772853, 0.1095674, 0.1165698, 0.1048297, -0.0230072, -3.631387],
            "ascvd": [0.7128741, 0.1465201, -0.1125794, -0.3387216, 0.2980252, 0.399583, 0.3379111, 0, 0, 0.2582604, 0.0147769, 0.1686621, -0.1073619, -0.0381038, 0.1034169, -0.0228755, 0.0267453, -0.0897449, -0.1497464, -0.077206, 0, -0.1198368, 0.0651121, 0.2676683, 0.1388492, 0.1375837, 0.0652944, 0.101282, 0.1092726, -0.0112852, -3.969788],
            "heart_failure": [0.9095703, 0, 0, -0.6765184, 0.3111651, 0.5535052, 0.4326811, -0.0854286, 0.3551736, 0.5102245, 0.015472, 0.2570964, 0, -0.0591177, 0, 0, 0, -0.1219056, -0.2437577, -0.105363, 0.0037907, -0.1660207, 0.1106372, 0.3371204, 0.1694628, 0.2164607, 0.1702805, 0.148297, 0.1234088, -0.0234637, -4.663513],
        },
    },
}
TABLE_A_30Y: dict[str, dict[str, dict[str, list[float]]]] = {
    "uacr": {
        "female": {
            "total_cvd": [0.5491768, -0.0937311, 0.0359847, -0.1642965, -0.1483404, 0.313353, 0.6253766, 0.3147172, 0, 0, 0.1094663, 0.0550705, 0.2782433, -0.0786239, -0.0628947, 0.093204, -0.0710685, 0.0306363, -0.0951455, -0.3168231, -0.1636391, 0, -0.1265483, 0.1142251, -0.0055863, -1.583738],
            "ascvd": [0.4629669, -0.0902777, 0.1215214, -0.1522069, 0.0092679, 0.3113609, 0.581256, 0.263167, 0, 0, 0.0391726, 0.0492959, 0.1786178, 0.0131058, -0.0325135, 0.0617093, -0.0489189, 0.0321079, -0.1003185, -0.2684574, -0.1547301, 0, -0.1130703, 0.0903471, -0.0145818, -2.178888],
            "heart_failure": [0.6319513, -0.1009284, 0, 0, -0.3787175, 0.2863393, 0.7631221, 0.3355843, 0.0677084, 0.2517238, 0.1940067, 0.0664006, 0.3171436, 0, -0.0970661, 0, 0, 0, -0.0896239, -0.400743, -0.2042041, -0.0054699, -0.13602, 0.1486028, 0.011608, -2.538952],
        },
        "male": {
            "total_cvd": [0.464491, -0.0998895, 0.0757606, -0.1031778, -0.1990714, 0.2715816, 0.4754637, 0.2069672, 0, 0, 0.0331103, 0.0540474, 0.2189911, -0.0331044, -0.04534, 0.1214535, -0.0483995, 0.0178997, -0.1059324, -0.2492861, -0.1561543, 0, -0.1012429, 0.1007571, 0.0572456, -1.398727],
            "ascvd": [0.3995607, -0.094557, 0.1686692, -0.1202145, -0.0555561, 0.2633566, 0.4362036, 0.1716233, 0, 0, -0.0775282, 0.0561236, 0.1319331, 0.0102428, -0.0269294, 0.0920557, -0.0297021, 0.0217935, -0.0893347, -0.2081467, -0.1542716, 0, -0.0597254, 0.0684872, 0.0193962, -1.873449],
            "heart_failure": [0.5750236, -0.1062268, 0, 0, -0.4633994, 0.2742874, 0.612208, 0.2614987, 0.0895459, 0.2632424, 0.1430472, 0.0535184, 0.2417468, 0, -0.0498574, 0, 0, 0, -0.1193827, -0.316651, -0.2046122, -0.0216878, -0.1165637, 0.1366452, 0.1078355, -2.314872],
        },
    },
    "hba1c": {
        "female": {
            "total_cvd": [0.5343493, -0.0952314, 0.0298124, -0.1578451, -0.1504488, 0.3173368, 0.4314738, 0.3209399, 0, 0, 0.1771435, 0.0582828, 0.2888947, -0.0795886, -0.0600438, 0.0920598, -0.0696108, 0.0308807, -0.0954051, -0.2763408, -0.1623944, 0, -0.1430514, 0.0940543, 0.1116486, -0.0024798, -1.341059],
            "ascvd": [0.4555574, -0.0903501, 0.1148321, -0.1458754, 0.0089323, 0.3139029, 0.386281, 0.2714309, 0, 0, 0.0930987, 0.0532216, 0.1862181, 0.0106964, -0.0329713, 0.0583609, -0.0463273, 0.0324717, -0.1004777, -0.2266944, -0.1541859, 0, -0.1286005, 0.0875827, 0.1126417, 0.0124356, -2.011533],
            "heart_failure": [0.6210856, -0.1000972, 0, 0, -0.3773697, 0.295316, 0.5681692, 0.3449139, 0.0540094, 0.249767, 0.2875781, 0.0692013, 0.3334936, 0, -0.0922339, 0, 0, 0, -0.0907885, -0.3554646, -0.2008846, -0.0079611, -0.156803, 0.1448336, 0.1277838, -0.0022589, -2.193553],
        },
        "male": {
            "total_cvd": [0.4519873, -0.101624, 0.0700456, -0.0968005, -0.1923527, 0.2827043, 0.3417152, 0.2105272, 0, 0, 0.1113291, 0.0640135, 0.2334248, -0.0299421, -0.0393204, 0.1228854, -0.0463737, 0.0184599, -0.1085744, -0.2208049, -0.1577978, 0, -0.1179375, 0.0768169, 0.0777295, 0.0092204, -1.180767],
            "ascvd": [0.3883267, -0.0958114, 0.1613374, -0.1144418, -0.0474338, 0.2691281, 0.2859773, 0.1759553, 0, 0, -0.0242898, 0.0644523, 0.142874, 0.0115062, -0.02333, 0.0899664, -0.0275478, 0.022573, -0.090802, -0.1771894, -0.1548847, 0, -0.0732754, 0.0591089, 0.0821158, 0.0179755, -1.777708],
            "heart_failure": [0.5703729, -0.1084544, 0, 0, -0.4471767, 0.2910152, 0.4507242, 0.259585, 0.0850676, 0.2637222, 0.2454706, 0.0675649, 0.2611991, 0, -0.0408908, 0, 0, 0, -0.1241051, -0.2849461, -0.2032308, -0.0239714, -0.138301, 0.1101184, 0.0949198, 0.0084192, -1.974999],
        },
    },
    "full": {
        "female": {
            "total_cvd": [0.5073749, -0.0981751, 0.0162303, -0.1617147, -0.1111241, 0.282946, 0.4004069, 0.2918701, 0, 0, 0.1017102, 0.0622643, 0.2872416, -0.0768135, -0.0557282, 0.0917585, -0.0679131, 0.029076, -0.0907755, -0.2702118, -0.1373216, 0, -0.1255864, 0.1067741, 0.1853138, 0.1567115, 0.1028065, -0.0006181, 0.0925285, 0.0975598, 0.0101713, -1.748475],
            "ascvd": [0.4386739, -0.0921956, 0.0977728, -0.1453525, 0.0590925, 0.2862862, 0.3669136, 0.2354695, 0, 0, 0.0354338, 0.0573093, 0.1840085, 0.0117504, -0.0331945, 0.0664311, -0.0492826, 0.0288888, -0.0964709, -0.2279648, -0.120405, 0, -0.1157635, 0.1107632, 0.1840367, 0.1308962, 0.0810739, -0.0147785, 0.0794709, 0.1002615, 0.017301, -2.314066],
            "heart_failure": [0.5927507, -0.1028754, 0, 0, -0.3593781, 0.2628556, 0.5113472, 0.347344, 0.0564656, 0.2363857, 0.1971295, 0.0735227, 0.3219386, 0, -0.0880321, 0, 0, 0, -0.0863132, -0.3425359, -0.181405, 0.0031285, -0.1356989, 0.0847634, 0.18397, 0.1485802, 0.1273306, 0.0167008, 0.1378342, 0.1138832, 0.0138979, -2.642208],
        },
        "male": {
            "total_cvd": [0.4427595, -0.1064108, 0.0629381, -0.1015427, -0.2542326, 0.2549679, 0.333835, 0.1873833, 0, 0, 0.0246102, 0.0552014, 0.1979729, -0.0407714, -0.0365522, 0.1232822, -0.0441334, 0.0177865, -0.1046657, -0.2116113, -0.1277905, 0, -0.0955922, 0.0256704, 0.1887637, 0.089241, 0.0894596, 0.0710124, 0.0676202, 0.063409, 0.0038783, -1.504558],
            "ascvd": [0.3743566, -0.0995499, 0.1544808, -0.1215297, -0.1083968, 0.2555179, 0.2696998, 0.1628432, 0, 0, -0.077507, 0.0583407, 0.1120322, -0.0025063, -0.0256116, 0.0886745, -0.0254507, 0.0244639, -0.0869146, -0.165745, -0.1244714, 0, -0.0624552, 0.015675, 0.1864231, 0.0845697, 0.0560171, 0.0252244, 0.0501422, 0.0722905, 0.0114945, -1.985368],
            "heart_failure": [0.5478829, -0.1111928, 0, 0, -0.4547346, 0.2527602, 0.4385384, 0.2397952, 0.0640931, 0.2643081, 0.1354588, 0.0570689, 0.220666, 0, -0.0436769, 0, 0, 0, -0.1168376, -0.2730055, -0.1573691, -0.0174998, -0.1128676, 0.057746, 0.2446441, 0.1076782, 0.1233486, 0.1274796, 0.0985062, 0.0804844, 0.0022806, -2.425439],
        },
    },
}
TABLE_A = {"10y": TABLE_A_10Y, "30y": TABLE_A_30Y}
# fmt: on

#: Add-on terms the graph computes (name, plain label, inputs); the missing-value and SDI
#: decile terms are constants here (see the module docstring).
ADDON_TERMS = {
    "uacr": [("ln_uacr", "urine albumin-to-creatinine ratio", ["uacr"])],
    "hba1c": [("hba1c_diabetes", "HbA1c (with diabetes)", ["hba1c", "diabetes"]),
              ("hba1c_no_diabetes", "HbA1c (without diabetes)", ["hba1c", "diabetes"])],
}
ADDON_TERMS["full"] = ADDON_TERMS["uacr"] + ADDON_TERMS["hba1c"]
#: Terms held at a fixed value: missing UACR/HbA1c = 0 (required inputs), SDI missing = 1.
FIXED = {"missing_uacr": 0.0, "missing_hba1c": 0.0, "sdi_4_to_6": 0.0, "sdi_7_to_10": 0.0,
         "missing_sdi": 1.0}
EXTRA_COLUMNS = {"uacr": ["uacr"], "hba1c": ["hba1c"], "full": ["uacr", "hba1c"]}
VARIANT_TEXT = {
    "uacr": ("AHA PREVENT with urine albumin ({years}-year cardiovascular risk)",
             "the urine albumin-to-creatinine ratio"),
    "hba1c": ("AHA PREVENT with HbA1c ({years}-year cardiovascular risk)", "HbA1c"),
    "full": ("AHA PREVENT full model ({years}-year cardiovascular risk)",
             "the urine albumin-to-creatinine ratio and HbA1c (the Social Deprivation Index is "
             "not available in this application and is counted as missing)"),
}


def coefficients(variant: str, sex: str, outcome: str, horizon: str = "10y"
                 ) -> dict[str, float]:
    """Source A's row for one model as {term: coefficient} (``constant`` included)."""
    row = TABLE_A[horizon][variant][sex][outcome]
    base = A_BASE if horizon == "10y" else [A_BASE[0], "age_squared", *A_BASE[1:]]
    names = [*base, *A_EXTRA[variant], "constant"]
    if len(row) != len(names):
        raise ValueError(f"PREVENT {variant}/{horizon}/{sex}/{outcome}: {len(row)} values, "
                         f"{len(names)} terms")
    return dict(zip(names, row, strict=True))


def _terms(variant: str) -> list[tuple[str, str, list[str]]]:
    return [*TERMS, *ADDON_TERMS[variant]]


def _matrix(variant: str, horizon: str, outcome: str) -> tuple[np.ndarray, np.ndarray]:
    """([2 (female, male), K terms], [2] constants, fixed terms folded in)."""
    names = [n for n, _, _ in _terms(variant)]
    rows, consts = [], []
    for sex in ("female", "male"):
        table = coefficients(variant, sex, outcome, horizon)
        rows.append([table.get(n, 0.0) for n in names])
        consts.append(table["constant"] + sum(table.get(k, 0.0) * v for k, v in FIXED.items()))
    return np.array(rows), np.array(consts)


def addon_graph(variant: str, horizon: str) -> bytes:
    g = Graph(f"prevent_{variant}_{horizon}", COLUMNS + EXTRA_COLUMNS[variant])
    values = base_term_values(g)
    if variant in ("uacr", "full"):
        values["ln_uacr"] = g.log(g.col("uacr"))
    if variant in ("hba1c", "full"):
        a1c, dm = g.sub(g.col("hba1c"), g.const(5.3)), g.col("diabetes")
        values["hba1c_diabetes"] = g.mul(a1c, dm)
        values["hba1c_no_diabetes"] = g.mul(a1c, g.one_minus(dm))
    logistic_outputs(g, values, [n for n, _, _ in _terms(variant)],
                     lambda outcome: _matrix(variant, horizon, outcome))
    return g.model(f"AHA PREVENT {horizon[:-1]}-year add-on model '{variant}' (Khan 2024, Table S12).")


UACR = _number("uacr", "Urine albumin-to-creatinine ratio", "mg/g", [0.1, 25000], "refuse",
               "Khan 2024 (PREVENT add-on model ranges, as implemented in preventr 0.10)",
               "Spot urine albumin-to-creatinine ratio in mg/g (mg/mmol × 8.84).")
HBA1C = _number("hba1c", "HbA1c", "%", [4.5, 15], "refuse",
                "Khan 2024 (PREVENT add-on model ranges, as implemented in preventr 0.10)",
                "Glycated haemoglobin, NGSP/DCCT % (IFCC mmol/mol × 0.09148 + 2.152).")
#: Independent-oracle values for the worked example below (no published add-on example
#: was found): tests/test_prevent_addons.py recomputes them from transcription B.
EXAMPLE_EXTRA = {"uacr": 40.0, "hba1c": 7.5}
EXPECTED = {"10y": {
    "uacr": {"total_cvd": 0.159923, "ascvd": 0.099443, "heart_failure": 0.089324},
    "hba1c": {"total_cvd": 0.135867, "ascvd": 0.083498, "heart_failure": 0.080567},
    "full": {"total_cvd": 0.150053, "ascvd": 0.090525, "heart_failure": 0.088575},
}, "30y": {
    "uacr": {"total_cvd": 0.541564, "ascvd": 0.363224, "heart_failure": 0.406597},
    "hba1c": {"total_cvd": 0.500621, "ascvd": 0.322388, "heart_failure": 0.389213},
    "full": {"total_cvd": 0.512512, "ascvd": 0.331828, "heart_failure": 0.396524},
}}


def addon_manifest(variant: str, horizon: str) -> dict[str, Any]:
    doc = prevent_manifest(horizon)
    name, extra_text = VARIANT_TEXT[variant]
    years, oldest = horizon[:-1], 79 if horizon == "10y" else 59
    doc["id"] = f"prevent-{variant}-{horizon}"
    doc["name"] = name.format(years=years)
    doc["description"] = (
        f"{years}-year risk of total cardiovascular disease (primary output), atherosclerotic "
        f"cardiovascular disease and heart failure for adults 30-{oldest} without "
        f"cardiovascular disease, from the AHA PREVENT equations that add {extra_text}.")
    doc["changelog"] = [{"version": "1.0.0", "date": "2026-12-06",
                         "changes": "First release, built from the published coefficients "
                                    "(Khan 2024, Table S12 add-on models)."}]
    doc["version"] = "1.0.0"
    refs = doc["intended_use"]["references"]
    refs[0] = {**refs[0], "citation": refs[0]["citation"].replace(
        "(base model coefficients)", "(add-on model coefficients)")}
    refs[1:] = [{"citation": "Mayer MG. preventr 0.10 (R package): coefficient tables read "
                             "from the supplement (transcription A)."},
                {"citation": "AHAprevent (AHA R package), as ported to Python: equations "
                             "with coefficients (transcription B, test oracle)."}]
    if variant == "full":
        doc["description"] += (
            " The Social Deprivation Index is not available in this application (it needs a "
            "US ZIP-code-to-decile table that is not shipped), so every patient is scored "
            "with the model's own 'SDI missing' term.")
    features = [f for f in doc["inputs"]["features"] if f["name"] != "known_cvd"]
    features += [{"uacr": UACR, "hba1c": HBA1C}[c] for c in EXTRA_COLUMNS[variant]]
    features.append(next(f for f in doc["inputs"]["features"] if f["name"] == "known_cvd"))
    columns = COLUMNS + EXTRA_COLUMNS[variant]
    doc["inputs"] = {"tensors": [{**doc["inputs"]["tensors"][0], "shape": ["N", len(columns)],
                                  "columns": columns}], "features": features}
    terms = [{"name": n, "label": lab, "inputs": ins} for n, lab, ins in _terms(variant)]
    tensors = [t for t in doc["outputs"]["tensors"] if t["name"] != "terms"]
    doc["outputs"]["tensors"] = [*tensors, _mat(
        "terms", terms, "per-term contribution to the log-odds of total CVD (the sex-specific "
                        "constant, with any missing-value terms, is separate)")]
    doc["explanation"]["terms"] = terms
    kept = {"uacr": "urine albumin", "hba1c": "HbA1c", "full": "urine albumin, HbA1c"}[variant]
    doc["explanation"]["reference"] = optimal_reference(
        f"age, sex, kidney function, {kept}, body-mass index and statin use")
    example = {**doc["test_vectors"][0]["inputs"],
               **{c: EXAMPLE_EXTRA[c] for c in EXTRA_COLUMNS[variant]}}
    src = ("base-model worked example (preventr README) with " +
           ", ".join(f"{c} {EXAMPLE_EXTRA[c]:g}" for c in EXTRA_COLUMNS[variant]) +
           "; expected values from the independent implementation of transcription B "
           "(tests/test_prevent_addons.py), no published add-on example found")
    doc["test_vectors"] = [_test_vector(f"worked example: {o}", example, {o: v}, 0.000005, src)
                           for o, v in EXPECTED[horizon][variant].items()]
    return doc


ADDON_BUILDERS = {
    f"prevent-{v}-{h}": ((lambda v=v, h=h: addon_manifest(v, h)),
                         (lambda v=v, h=h: addon_graph(v, h)))
    for h in ("10y", "30y") for v in ("uacr", "hba1c", "full")
}
